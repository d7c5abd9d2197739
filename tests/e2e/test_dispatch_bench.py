"""The fan-out benchmark runs at a tiny size and finds nothing lost and nothing doubled."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import fanout
from tests.databases import migrated_sqlite_url


def test_the_fanout_benchmark_runs_small_and_counts_every_message_once(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    database = migrated_sqlite_url(tmp_path)  # the benchmark's own migration is not what this checks
    assert fanout.main(["--prompts", "3", "--dms", "5", "--latency", "0.01", "--database", database]) == 0

    printed = capsys.readouterr().out
    assert "used:      3 circle prompts + 5 DMs = 8 messages" in printed
    assert "lost 0; duplicates 0\n" in printed
