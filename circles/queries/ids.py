"""Long lists of ids, cut to fit one `IN (...)` each."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

CHUNK = 900  # ids per IN (...) list, well under every database's limit on bound parameters


def chunks(ids: Sequence[int]) -> Iterator[Sequence[int]]:
    """The ids in lists short enough for one IN (...)."""
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]
