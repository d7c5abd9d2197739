"""Typed text is cleaned once at the edge: no control characters, nothing that reorders what follows."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from circles.domain.text import clean_typed

UNTOUCHED = "emoji 👋🏽 and accents é stay, as does Arabic مرحبا"
BIDI_CONTROLS = [chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))]


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("plain words", "plain words"),
        ("tab\tand\nnewline stay", "tab\tand\nnewline stay"),
        ("a NUL\x00 and a bell\x07 go", "a NUL and a bell go"),
        ("windows\r\nlines", "windows\nlines"),
        ("\u202eevil\u202c text", "evil text"),
        ("isolates \u2066go\u2069 too", "isolates go too"),
        ("C1\x85 and DEL\x7f go", "C1 and DEL go"),
        ("half an emoji \ud83d goes", "half an emoji  goes"),  # no database takes it alone
        (
            "emoji 👋🏽 and accents é stay, as does Arabic مرحبا",
            "emoji 👋🏽 and accents é stay, as does Arabic مرحبا",
        ),
    ],
)
def test_control_characters_and_direction_overrides_are_removed_and_everything_else_kept(
    typed: str, kept: str
) -> None:
    assert clean_typed(typed) == kept


@given(st.text())
def test_cleaned_text_holds_no_nul_no_override_and_cleaning_again_changes_nothing(typed: str) -> None:
    cleaned = clean_typed(typed)
    assert "\x00" not in cleaned
    assert not any(c in cleaned for c in BIDI_CONTROLS)
    assert all(c in "\t\n" or not (ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F) for c in cleaned)
    assert clean_typed(cleaned) == cleaned
    cleaned.encode("utf-8")  # whatever was typed, it can be stored
