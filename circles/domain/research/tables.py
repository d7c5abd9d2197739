"""The last check before a research table is written: no column may carry a Slack ID, an email or a name."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from enum import StrEnum

# Our own pseudonyms ("P-" and base32) may start with U or W after the hyphen; they are not Slack IDs.
_PSEUDONYM = re.compile(r"(?<![A-Za-z0-9])P-[A-Z2-7]{12}(?![A-Za-z0-9])")
_SLACK_ID = re.compile(r"(?<![A-Za-z0-9])[UW][A-Za-z0-9]{8,}(?![A-Za-z0-9])")
_EMAIL = re.compile(r"[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+")


class Identifying(StrEnum):
    SLACK_ID = "a Slack ID"
    EMAIL = "an email address"
    NAME = "a name"


class IdentifyingColumn(ValueError):
    """A column would let a reader identify someone; the export stops rather than write it."""

    def __init__(self, column: str, row: int, kind: Identifying) -> None:
        # The message names the column and row only: the value itself must not reach a log.
        super().__init__(f"column {column!r}, row {row}: looks like {kind.value}")
        self.column = column
        self.row = row
        self.kind = kind


def refuse_identifying(columns: Mapping[str, Sequence[object]], names: Iterable[str]) -> None:
    """Raise IdentifyingColumn for the first value that looks like a Slack ID, an email or a known name."""
    name_pattern = _names_pattern(names)
    for column, values in columns.items():
        for row, value in enumerate(values):
            if value is None:
                continue
            kind = identifying_kind(str(value), name_pattern)
            if kind is not None:
                raise IdentifyingColumn(column, row, kind)


def identifying_kind(text: str, name_pattern: re.Pattern[str] | None) -> Identifying | None:
    """What in this text could identify someone, if anything."""
    if _SLACK_ID.search(_PSEUDONYM.sub(" ", text)):
        return Identifying.SLACK_ID
    if _EMAIL.search(text):
        return Identifying.EMAIL
    if name_pattern is not None and name_pattern.search(text):
        return Identifying.NAME
    return None


def _names_pattern(names: Iterable[str]) -> re.Pattern[str] | None:
    """One case-blind pattern for whole words of every name (first names and surnames alike)."""
    words = {part for name in names for part in name.split() if len(part) > 1}
    if not words:
        return None
    alternatives = "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)
