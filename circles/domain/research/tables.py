"""The last check before a research table is written: no column may carry a Slack ID, an email or a name.

A member's own words that could identify someone are withheld cell by cell (`withhold_identifying`);
anything else that could stops the export (`refuse_identifying`), for facilitators to change it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum

from circles.domain.research.columns import WITHHELD, Table, Value

# Our own pseudonyms ("P-" and base32) may start with U or W after the hyphen; they are not Slack IDs.
_PSEUDONYM = re.compile(r"(?<![A-Za-z0-9])P-[A-Z2-7]{12}(?![A-Za-z0-9])")
# Slack's IDs are capitals and digits: "Unfortunately" or "Wonderful" in someone's words is not one.
_SLACK_ID = re.compile(r"(?<![A-Za-z0-9])[UW][A-Z0-9]{8,}(?![A-Za-z0-9])")
_EMAIL = re.compile(r"[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+")
_WORD = re.compile(r"\w+")
# Scripts written without spaces between words (Thai, Lao, Myanmar, Khmer, Chinese, Japanese): a name in
# them is looked for anywhere in the text, as no word boundary shows where it ends.
_UNSPACED = re.compile("[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")


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
    """Raise IdentifyingColumn for the first value that looks like a Slack ID, an email or a known name.

    Each distinct value of a column is read once, and a name is found by its words, not by one pattern of
    every name: the largest cohort's tables against a large workspace take moments, not hours.
    """
    known = Names.of(names)
    for column, values in columns.items():
        first_row: dict[str, int] = {}
        for row, value in enumerate(values):
            if value is not None:
                first_row.setdefault(str(value), row)
        for text, row in first_row.items():
            kind = identifying_kind(text, known)
            if kind is not None:
                raise IdentifyingColumn(column, row, kind)


def withhold_identifying(table: Table, names: Iterable[str]) -> tuple[Table, int]:
    """The table with each cell of members' own words that could identify someone reading WITHHELD, and
    how many cells were; nothing of the words withheld is kept. Other columns are left for the check."""
    own = [index for index, column in enumerate(table.columns) if column.own_words]
    if not own:
        return table, 0
    known = Names.of(names)
    verdicts: dict[str, bool] = {}

    def identifying(value: Value) -> bool:
        if not isinstance(value, str):
            return False
        if value not in verdicts:
            verdicts[value] = identifying_kind(value, known) is not None
        return verdicts[value]

    rows, withheld = [], 0
    for row in table.rows:
        cells = list(row)
        for index in own:
            if identifying(cells[index]):
                cells[index] = WITHHELD
                withheld += 1
        rows.append(tuple(cells))
    return replace(table, rows=rows), withheld


def identifying_kind(text: str, names: Names | None) -> Identifying | None:
    """What in this text could identify someone, if anything."""
    if _SLACK_ID.search(_PSEUDONYM.sub(" ", text)):
        return Identifying.SLACK_ID
    if _EMAIL.search(text):
        return Identifying.EMAIL
    if names is not None and names.found_in(text):
        return Identifying.NAME
    return None


@dataclass(frozen=True)
class Names:
    """Whole words of every name (first names and surnames alike), found in a text whatever their case."""

    words: frozenset[str]
    other: re.Pattern[str] | None  # the rare parts that are not one word, such as "O'Brien"
    unspaced: tuple[str, ...] = ()  # parts in a script written without spaces, found anywhere

    @classmethod
    def of(cls, names: Iterable[str]) -> Names:
        # "Okafor, Fay" or "Ada (Lovelace)": the punctuation around a word is not part of the name.
        # Composed alike, so that "José" typed with a combining accent is the same name (NFC, as found_in).
        parts = {_trimmed(part).casefold() for name in names for part in _composed(name).split()}
        # A part without a letter ("2027", "20" in "Ward 20 Charge Nurse") names nobody, and read as a
        # name it would stop every export at a count or a week, and withhold words that only hold a number.
        parts = {part for part in parts if len(part) > 1 and any(c.isalpha() for c in part)}
        unspaced = {part for part in parts if _UNSPACED.search(part)}
        words = {part for part in parts - unspaced if _WORD.fullmatch(part)}
        others = sorted(parts - words - unspaced, key=len, reverse=True)
        alternatives = "|".join(re.escape(part) for part in others)
        pattern = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE) if others else None
        return cls(frozenset(words), pattern, tuple(sorted(unspaced)))

    def found_in(self, text: str) -> bool:
        text = _composed(text)
        if any(word.casefold() in self.words for word in _WORD.findall(text)):
            return True
        if self.unspaced:
            folded = text.casefold()
            if any(part in folded for part in self.unspaced):
                return True
        return self.other is not None and self.other.search(text) is not None


def _composed(text: str) -> str:
    """The text with its accents composed (NFC): one way of writing each name and word."""
    return text if text.isascii() else unicodedata.normalize("NFC", text)


def _trimmed(part: str) -> str:
    """A name's part without the punctuation around it ("Okafor," "(Lovelace)"); its letters, marks (a
    Thai or Hindi vowel sign ends many names) and digits kept."""
    kept = [unicodedata.category(char)[0] in "LMN" for char in part]
    if True not in kept:
        return ""
    first, last = kept.index(True), len(kept) - 1 - kept[::-1].index(True)
    return part[first : last + 1]
