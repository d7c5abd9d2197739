"""`python3 tasks.py demo` and `run` work in the caller's folder, as `circles` itself does."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

import tasks


@pytest.mark.parametrize(
    ("task", "options"),
    [("demo", ["--cohort", "cohort.yml", "--out", "report"]), ("run", ["--role", "worker"])],
)
def test_demo_and_run_start_circles_in_the_folder_they_are_run_from(
    task: str, options: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    started: list[tuple[list[str], Path]] = []

    def call(command: list[str], cwd: Path) -> int:
        started.append((command, cwd))
        return 0

    monkeypatch.setattr(tasks, "setup", lambda: None)
    monkeypatch.setattr(subprocess, "call", call)  # as tasks.py calls it
    monkeypatch.chdir(tmp_path)  # outside the repository: its relative paths are this folder's
    assert tasks.main([task, *options]) == 0
    assert started == [([str(tasks.BIN / "circles"), task, *options], tmp_path.resolve())]
    assert Path(started[0][0][0]).is_absolute()
