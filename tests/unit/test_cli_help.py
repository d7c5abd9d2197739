"""`circles` answers a command group typed on its own with that group's own help."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import main


@pytest.mark.parametrize(
    ("group", "usage", "subcommands"),
    [("db", "usage: circles db", ["upgrade"]), ("cohort", "usage: circles cohort", ["import", "rotations"])],
)
def test_a_command_group_typed_alone_lists_what_it_can_do(
    group: str,
    usage: str,
    subcommands: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main([group]) == 2
    shown = capsys.readouterr().out
    assert shown.startswith(usage)
    for subcommand in subcommands:
        assert subcommand in shown
    assert not (tmp_path / "circles.db").exists()
