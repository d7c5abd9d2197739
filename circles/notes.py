"""Check-in notes encrypted at rest: Fernet, keyed by CIRCLES_NOTES_KEY or derived from the signing secret."""

from __future__ import annotations

import base64
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from circles.settings import Settings

# Fixed on purpose: changing either makes every stored note unreadable, like rotating the secret.
_SALT = b"circles/check-in notes"
_INFO = b"circles notes key v1"


class NotesKeyMissing(Exception):
    """Neither CIRCLES_NOTES_KEY nor SLACK_SIGNING_SECRET is set, so notes cannot be kept secret."""

    def __init__(self) -> None:
        super().__init__(
            "CIRCLES_NOTES_KEY is not set and there is no SLACK_SIGNING_SECRET to derive a key from: "
            "set CIRCLES_NOTES_KEY (see README.md, section Settings)"
        )


class NoteUnreadable(Exception):
    """A stored note does not open with this key: the key or the signing secret changed since."""


class NoteCipher:
    """Encrypt a note before it is stored, and decrypt it only for someone entitled to read it."""

    def __init__(self, key: bytes) -> None:
        self._fernet = Fernet(key)

    def encrypt(self, note: str) -> bytes:
        return self._fernet.encrypt(note.encode("utf-8"))

    def decrypt(self, token: bytes) -> str:
        try:
            return self._fernet.decrypt(token).decode("utf-8")
        except InvalidToken:
            raise NoteUnreadable() from None


def derive_key(signing_secret: str) -> bytes:
    """A Fernet key from the signing secret with HKDF-SHA256: rotating the secret loses old notes."""
    raw = HKDF(algorithm=hashes.SHA256(), length=32, salt=_SALT, info=_INFO).derive(
        signing_secret.encode("utf-8")
    )
    return base64.urlsafe_b64encode(raw)


def note_cipher(settings: Settings) -> NoteCipher:
    """The cipher for these settings: the dedicated key when there is one, else the derived key."""
    if settings.circles_notes_key is not None:
        return _cipher(settings.circles_notes_key.get_secret_value().encode("ascii"))
    if settings.slack_signing_secret is None:
        raise NotesKeyMissing()
    return _cipher(derive_key(settings.slack_signing_secret.get_secret_value()))


@lru_cache(maxsize=4)
def _cipher(key: bytes) -> NoteCipher:
    return NoteCipher(key)
