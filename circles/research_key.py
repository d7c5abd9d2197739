"""The research key: pseudonyms in research exports are keyed by it, and it never leaves the installation.

It is made once from the notes key of its day (HKDF-SHA256: separate from the notes' own key) and kept in
the database sealed with the current notes key (circles.notes_check seals it again at each rotation), so
a person's pseudonym stays the same across exports whatever notes key is current.
"""

from __future__ import annotations

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from circles.notes import notes_keys
from circles.persistence.db import Database
from circles.queries.notes_key_check import key_check
from circles.settings import Settings, SettingsError

# Fixed on purpose: changing either gives every person a new pseudonym in the next export.
_SALT = b"circles/research export"
_INFO = b"circles research pseudonyms v1"


def research_key_of(db: Database, settings: Settings) -> bytes:
    """The installation's research key: the one the database keeps, opened with the settings' notes keys;
    made from the current notes key while the database keeps none yet (no process with a key has started).
    SettingsError when none of the keys opens it (a process the start's key check would refuse)."""
    keys = notes_keys(settings)
    with db.reading() as uow:
        row = key_check(uow.session)
        sealed = None if row is None or row.research is None else bytes(row.research)
    if sealed is None:
        return research_key_from(keys[0])
    for key in keys:
        try:
            return Fernet(key).decrypt(sealed)
        except InvalidToken:
            continue
    raise SettingsError(["CIRCLES_NOTES_KEY does not open the research key this database keeps"])


def research_key(settings: Settings) -> bytes:
    """The research key made from the settings' current notes key: the one a database keeps from its first
    start with that key."""
    return research_key_from(notes_keys(settings)[0])


def research_key_from(notes_key: bytes) -> bytes:
    """The research key made from one notes key: the first start keeps it."""
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=_SALT, info=_INFO).derive(notes_key)
