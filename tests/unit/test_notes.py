"""Notes are encrypted with the notes key only; older, derived-key notes stay readable; keys stay secret."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet

from circles.notes import NoteCipher, NotesKeyMissing, NoteUnreadable, derive_key, note_cipher
from circles.settings import Settings, SettingsError, load_settings


def settings(**values: str) -> Settings:
    return Settings(_env_file=None, **values)  # type: ignore[arg-type]


def test_a_note_reads_back_only_with_the_key_it_was_written_with() -> None:
    cipher = NoteCipher(Fernet.generate_key())
    token = cipher.encrypt("We have not met — rota clash")
    assert b"rota clash" not in token
    assert cipher.decrypt(token) == "We have not met — rota clash"
    with pytest.raises(NoteUnreadable):
        NoteCipher(Fernet.generate_key()).decrypt(token)


def test_notes_written_with_the_key_derived_from_the_signing_secret_stay_readable() -> None:
    key = Fernet.generate_key().decode()
    earlier = NoteCipher(derive_key("secret-one")).encrypt("written by an earlier version")
    cipher = note_cipher(settings(circles_notes_key=key, slack_signing_secret="secret-one"))
    assert cipher.decrypt(earlier) == "written by an earlier version"
    assert NoteCipher(key.encode()).decrypt(cipher.encrypt("hello")) == "hello"  # new notes: the key
    with pytest.raises(NoteUnreadable):  # a rotated signing secret no longer opens the old ones
        note_cipher(settings(circles_notes_key=key, slack_signing_secret="secret-two")).decrypt(earlier)


def test_a_dedicated_key_wins_over_the_signing_secret() -> None:
    key = Fernet.generate_key().decode()
    token = note_cipher(settings(circles_notes_key=key, slack_signing_secret="one")).encrypt("hello")
    assert note_cipher(settings(circles_notes_key=key, slack_signing_secret="two")).decrypt(token) == "hello"
    assert NoteCipher(key.encode()).decrypt(token) == "hello"


@pytest.mark.parametrize(
    "given",
    [{"slack_app_token": "xapp-1", "slack_bot_token": "xoxb-1"}, {"slack_signing_secret": "secret"}],
)
def test_without_a_notes_key_no_note_is_encrypted_whatever_else_is_set(given: dict[str, str]) -> None:
    with pytest.raises(NotesKeyMissing, match="CIRCLES_NOTES_KEY"):
        note_cipher(settings(**given))


def test_a_malformed_notes_key_is_one_line_that_never_echoes_the_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CIRCLES_NOTES_KEY", "not-a-real-key-but-still-secret")
    with pytest.raises(SettingsError) as raised:
        load_settings(_env_file=None)
    [line] = raised.value.problems
    assert line.startswith("CIRCLES_NOTES_KEY: must be a Fernet key")
    assert "not-a-real-key-but-still-secret" not in line
    assert "README.md" in line


def test_a_blank_notes_key_means_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CIRCLES_NOTES_KEY", "  ")
    assert load_settings(_env_file=None).circles_notes_key is None
