"""The fan-out benchmark runs at a tiny size and finds nothing lost and nothing doubled."""

from __future__ import annotations

import pytest

from bench import fanout


def test_the_fanout_benchmark_runs_small_and_counts_every_message_once(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert fanout.main(["--prompts", "3", "--dms", "5", "--latency", "0.01"]) == 0

    printed = capsys.readouterr().out
    assert "used:      3 circle prompts + 5 DMs = 8 messages" in printed
    assert "lost 0; duplicates 0\n" in printed
