"""Typed text made safe to store and forward: no control characters, no reordering of what follows; and
safe in a spreadsheet's cell."""

from __future__ import annotations

import re
import unicodedata

# C0 and C1 control characters and DEL, except tab and newline: NUL breaks PostgreSQL text, the
# rest only hide or garble what a facilitator reads.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069): they can make a
# message read differently from what was sent, and reorder whatever is shown after it.
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
# Half of a character outside the BMP, alone: no database or JSON encoder takes it.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
# Format characters that show nothing and mean nothing in typed text, yet keep two words that look alike
# apart: soft hyphen, zero-width space, word joiner, invisible operators, deprecated format controls and
# the byte-order mark. The zero-width joiner (U+200D, which emoji need) and non-joiner (U+200C, which
# Persian and Indic scripts need) stay.
_INVISIBLE = re.compile("[\u00ad\u200b\u2060-\u2064\u206a-\u206f\ufeff]")


def clean_typed(text: str) -> str:
    """The text without control characters (tab and newline kept), bidirectional overrides, invisible
    format characters or halves of characters."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _LONE_SURROGATE.sub("", _INVISIBLE.sub("", _BIDI.sub("", _CONTROL.sub("", text))))


def one_line(text: str) -> str:
    """The text on one line: each run of spaces, tabs and line breaks as one space, none at either end."""
    return " ".join(text.split())


# Letters that are drawn as nothing at all (Hangul fillers, the blank Braille pattern).
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")
# Spaces, controls, format characters, and marks that only change the character before them.
_BLANK_CATEGORIES = frozenset({"Zs", "Zl", "Zp", "Cc", "Cf", "Mn"})


def shows_nothing(text: str) -> bool:
    """Whether the text would be seen as empty: only spaces, invisible characters or lone marks."""
    return all(ch in _BLANK_LETTERS or unicodedata.category(ch) in _BLANK_CATEGORIES for ch in text)


def clean_optional(text: str | None) -> str | None:
    """`clean_typed`, passing None through."""
    return None if text is None else clean_typed(text)


_SLACK_ID = re.compile(r"[A-Z][A-Z0-9]{1,39}")


def slack_id(value: object) -> str | None:
    """The value when it is shaped like a Slack ID (U0123ABC, T…, W…), else None: payloads can lie."""
    return value if isinstance(value, str) and _SLACK_ID.fullmatch(value) else None


def slack_length(text: str) -> int:
    """The length Slack's limits are measured in: UTF-16 code units (an emoji counts twice)."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def mrkdwn(text: str) -> str:
    """Escape text so Slack shows it as written (`<cohort>` would otherwise be read as a link)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# What makes a spreadsheet read a cell as a formula (=HYPERLINK(…) can send the sheet's data away).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def never_a_formula(text: str) -> str:
    """The text as a spreadsheet shows it and never runs it: one that starts like a formula behind an
    apostrophe."""
    return "'" + text if text.startswith(FORMULA_START) else text


# The largest id a row can have (the id columns are 32-bit integers): PostgreSQL refuses a larger number
# outright, so one from a button or a form's metadata (hostile input) is no id of ours, like a word is not.
ROW_ID_MAX = 2**31 - 1


def row_id(value: object) -> int | None:
    """A row id from a button value or form metadata; None unless a plain number from 1 to ROW_ID_MAX."""
    # isdigit() alone takes "²" and other digits int() refuses or reads unexpectedly.
    if not isinstance(value, str) or not value.isascii() or not value.isdigit() or len(value) > 10:
        return None
    number = int(value)
    return number if 1 <= number <= ROW_ID_MAX else None
