"""The health benchmark runs end to end at a tiny size (the full size is run by hand: bench/README.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import health


def test_the_health_benchmark_builds_its_data_and_times_three_passes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    health.main(["--partnerships", "40", "--checkins", "1000", "--db", str(tmp_path / "bench.db")])
    printed = capsys.readouterr().out
    assert "health: 40 partnerships, 1000 check-ins on SQLite" in printed
    assert printed.count("for 40 partnerships (target < 3 s)") == 3
    assert "SQL statements: " in printed
    assert "states: struggling" in printed
