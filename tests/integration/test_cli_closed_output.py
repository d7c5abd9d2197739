"""`circles` piped into a reader that stops early (`circles tick | head -1`) ends without a traceback."""

from __future__ import annotations

import io
import logging
import sys
from pathlib import Path

import pytest

from bot import cli, logs


class ClosedPipe(io.StringIO):
    """Standard output whose reader has gone away."""

    def write(self, text: str) -> int:
        raise BrokenPipeError(32, "Broken pipe")


def test_a_command_whose_reader_stopped_reading_ends_quietly_with_status_1(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setattr(logs, "configure", lambda **_: None)  # the test's own logging stays as it is
    monkeypatch.setattr(sys, "stdout", ClosedPipe())
    assert cli.main(["db", "upgrade"]) == 1


def test_the_same_command_read_to_the_end_says_what_it_did(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setattr(logs, "configure", lambda **_: None)
    assert cli.main(["db", "upgrade"]) == 0
    assert "already at" in capsys.readouterr().out


def test_a_demo_whose_reader_stopped_reading_ends_quietly_with_status_1(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # The demo keeps its own SQLite file and stand-in: no database to choose here.
    root = logging.getLogger()
    monkeypatch.setattr(root, "level", root.level)  # the demo quietens logging for its story; undone after
    monkeypatch.setattr(logs, "configure", lambda **_: None)
    monkeypatch.setattr(sys, "stdout", ClosedPipe())
    assert cli.main(["demo", "--members", "4", "--weeks", "2", "--out", str(tmp_path / "report")]) == 1
    assert capsys.readouterr().err == ""
