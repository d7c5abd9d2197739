"""Notes are encrypted with a dedicated key or one derived from the signing secret, and keys stay secret."""

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


def test_without_a_dedicated_key_the_key_comes_from_the_signing_secret() -> None:
    token = note_cipher(settings(slack_signing_secret="secret-one")).encrypt("hello")
    assert note_cipher(settings(slack_signing_secret="secret-one")).decrypt(token) == "hello"
    assert derive_key("secret-one") != derive_key("secret-two")
    with pytest.raises(NoteUnreadable):  # rotating the signing secret loses what was written before
        note_cipher(settings(slack_signing_secret="secret-two")).decrypt(token)


def test_a_dedicated_key_wins_over_the_signing_secret() -> None:
    key = Fernet.generate_key().decode()
    token = note_cipher(settings(circles_notes_key=key, slack_signing_secret="one")).encrypt("hello")
    assert note_cipher(settings(circles_notes_key=key, slack_signing_secret="two")).decrypt(token) == "hello"
    assert NoteCipher(key.encode()).decrypt(token) == "hello"


def test_with_neither_key_nor_signing_secret_notes_cannot_be_kept() -> None:
    with pytest.raises(NotesKeyMissing, match="CIRCLES_NOTES_KEY"):
        note_cipher(settings(slack_app_token="xapp-1", slack_bot_token="xoxb-1"))


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
