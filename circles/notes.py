"""Check-in notes encrypted at rest with Fernet, keyed by CIRCLES_NOTES_KEY (see circles.notes_key)."""

from __future__ import annotations

import base64
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from circles.settings import Settings
from circles.settings_checks import split_notes_keys

# Fixed on purpose: changing either makes every note written with a derived key unreadable.
_SALT = b"circles/check-in notes"
_INFO = b"circles notes key v1"


class NotesKeyMissing(Exception):
    """No notes key reached this process, so a note cannot be kept secret (and is not stored)."""

    def __init__(self) -> None:
        super().__init__(
            "CIRCLES_NOTES_KEY is not set, so check-in notes cannot be stored "
            "(see README.md, section Settings)"
        )


class NoteUnreadable(Exception):
    """A stored note opens with none of this process's keys: the key or the signing secret changed since."""


class NoteCipher:
    """Encrypt a note before it is stored, and decrypt it only for someone entitled to read it.

    `earlier` keys only decrypt: notes sealed before a rotation of CIRCLES_NOTES_KEY, or before it
    existed, with the key derived from the signing secret.
    """

    def __init__(self, key: bytes, earlier: tuple[bytes, ...] = ()) -> None:
        self._fernet = Fernet(key)
        self._readers = MultiFernet([self._fernet, *(Fernet(old) for old in earlier)])

    def encrypt(self, note: str) -> bytes:
        return self._fernet.encrypt(note.encode("utf-8"))

    def decrypt(self, token: bytes) -> str:
        try:
            return self._readers.decrypt(token).decode("utf-8")
        except (InvalidToken, UnicodeDecodeError):
            raise NoteUnreadable() from None


def derive_key(signing_secret: str) -> bytes:
    """The key earlier versions derived from the signing secret (HKDF-SHA256); now it only reads old notes."""
    raw = HKDF(algorithm=hashes.SHA256(), length=32, salt=_SALT, info=_INFO).derive(
        signing_secret.encode("utf-8")
    )
    return base64.urlsafe_b64encode(raw)


def notes_keys(settings: Settings) -> tuple[bytes, ...]:
    """CIRCLES_NOTES_KEY's keys, the current one first (it seals), then earlier ones (they only open)."""
    if settings.circles_notes_key is None:
        raise NotesKeyMissing()
    return tuple(
        key.encode("ascii") for key in split_notes_keys(settings.circles_notes_key.get_secret_value())
    )


def derived_key(settings: Settings) -> bytes | None:
    """The key earlier versions derived from SLACK_SIGNING_SECRET, when this process has that secret."""
    secret = settings.slack_signing_secret
    return derive_key(secret.get_secret_value()) if secret is not None else None


def note_cipher(settings: Settings) -> NoteCipher:
    """The cipher for these settings: CIRCLES_NOTES_KEY, which start-up fills in from the key file if unset.

    Earlier keys of CIRCLES_NOTES_KEY, and with a signing secret the key derived from it, only open.
    """
    current, *earlier = notes_keys(settings)
    derived = derived_key(settings)
    return _cipher(current, (*earlier, *((derived,) if derived is not None else ())))


@lru_cache(maxsize=4)
def _cipher(key: bytes, earlier: tuple[bytes, ...]) -> NoteCipher:
    return NoteCipher(key, earlier)
