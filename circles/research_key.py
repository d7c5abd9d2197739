"""The research key: pseudonyms in research exports are keyed by it, and it never leaves the installation."""

from __future__ import annotations

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from circles.notes import notes_keys
from circles.settings import Settings

# Fixed on purpose: changing either gives every person a new pseudonym in the next export.
_SALT = b"circles/research export"
_INFO = b"circles research pseudonyms v1"


def research_key(settings: Settings) -> bytes:
    """Derive the research key from the current notes key (HKDF-SHA256): separate from the notes' own, and
    stable while that key is current (earlier keys listed after it change nothing; a rotation does)."""
    secret = notes_keys(settings)[0]
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=_SALT, info=_INFO).derive(secret)
