"""CIRCLES_GRACE_HOURS: how late a planned prompt or check-in may still go out."""

from __future__ import annotations

from pathlib import Path

import pytest

from circles.settings import SettingsError, load_settings


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("CIRCLES_GRACE_HOURS", raising=False)
    monkeypatch.chdir(tmp_path)  # no stray .env


def test_the_grace_window_is_six_hours_unless_set(monkeypatch: pytest.MonkeyPatch) -> None:
    assert load_settings().circles_grace_hours == 6
    monkeypatch.setenv("CIRCLES_GRACE_HOURS", "2")
    assert load_settings().circles_grace_hours == 2


@pytest.mark.parametrize("value", ["0", "200", "soon"])
def test_a_grace_window_out_of_range_is_named(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("CIRCLES_GRACE_HOURS", value)
    with pytest.raises(SettingsError, match="CIRCLES_GRACE_HOURS"):
        load_settings()
