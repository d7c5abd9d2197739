"""CIRCLES_NOTES_KEY may list earlier keys after the current one: the current seals, every one opens, and
a malformed one is refused in one line that never echoes a key."""

from __future__ import annotations

import pytest

from circles.notes import NoteCipher, NoteUnreadable, note_cipher, notes_keys
from circles.research_key import research_key
from circles.settings import Settings, SettingsError, load_settings

# Fixed: the parameters below name them, and every worker of a parallel run must collect the same tests.
OLD, NEW = "x7_JrR-3sHjCiVtOppx-cIM-HQIMkLTRXYVPxxxiRYE=", "WEh3alN07Mm2cYv1q7ytbfL78ppWHOjvIIB6xiFkzb8="


def settings(keys: str) -> Settings:
    return Settings(_env_file=None, circles_notes_key=keys)


def test_the_current_key_comes_first_and_seals_while_earlier_ones_only_open() -> None:
    before = NoteCipher(OLD.encode()).encrypt("sealed before the rotation")
    rotated = note_cipher(settings(f" {NEW} , {OLD} "))
    assert rotated.decrypt(before) == "sealed before the rotation"
    after = rotated.encrypt("sealed after it")
    assert NoteCipher(NEW.encode()).decrypt(after) == "sealed after it"
    with pytest.raises(NoteUnreadable):
        NoteCipher(OLD.encode()).decrypt(after)


def test_a_key_named_twice_or_a_trailing_comma_counts_once() -> None:
    assert notes_keys(settings(f"{NEW},{OLD},{NEW},")) == (NEW.encode(), OLD.encode())


def test_earlier_keys_listed_after_the_current_one_leave_research_pseudonyms_as_they_were() -> None:
    assert research_key(settings(f"{NEW},{OLD}")) == research_key(settings(NEW))


@pytest.mark.parametrize(
    ("given", "which"),
    [
        (f"{NEW},not-a-real-key-but-still-secret", "its second key"),
        (f"not-a-real-key-but-still-secret,{NEW}", "its first (current) key"),
    ],
)
def test_a_malformed_key_among_several_is_one_line_naming_its_place_never_a_key(
    monkeypatch: pytest.MonkeyPatch, given: str, which: str
) -> None:
    monkeypatch.setenv("CIRCLES_NOTES_KEY", given)
    with pytest.raises(SettingsError) as raised:
        load_settings(_env_file=None)
    [line] = raised.value.problems
    assert line.startswith(f"CIRCLES_NOTES_KEY: {which} must be a Fernet key")
    assert "comma" in line
    assert "not-a-real-key-but-still-secret" not in line
    assert NEW not in line
