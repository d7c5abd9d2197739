"""At the start of every process that seals or opens notes: are its notes keys the database's?

Replicas that seal with different keys lose what they hand each other: a support request the web process
sealed, the worker cannot open and fails for good. So the database keeps one fixed text sealed with the
key it is used with (circles.persistence.models.notes_key_check), written by the first start that has a
key; a process whose keys (CIRCLES_NOTES_KEY's current and earlier ones) cannot open it is refused in one
line before it serves or sends anything. One that opens it with an earlier key (step 2 of a rotation,
README.md) seals it again with its current key, so that a process left with only the old key is refused.
The row keeps the research key too, sealed alike (circles.research_key): made once, from the key of its
day, and sealed again at each rotation, so research pseudonyms stay the same whatever key is current.
"""

from __future__ import annotations

import logging

from cryptography.fernet import Fernet, InvalidToken
from sqlalchemy.exc import OperationalError

from circles.notes import derived_key, notes_keys
from circles.persistence.db import Database, Session
from circles.queries.notes_key_check import (
    add_key_check,
    keep_research_key,
    key_check,
    reseal_key_check,
    sealed_notes,
)
from circles.research_key import research_key_from
from circles.settings import SETTINGS_HELP, Settings, SettingsError

logger = logging.getLogger(__name__)

CHECKED = b"circles notes key check v1"  # what the row seals: fixed, it only has to open

ANOTHER_KEY = (
    "CIRCLES_NOTES_KEY does not open what this database holds sealed (or, on SQLite without it, the key "
    "file beside the database): set it to the key the database was sealed with, alike on every replica; "
    f"to change keys, list the new one after it first, comma-separated ({SETTINGS_HELP}, notes key rotation)"
)
NEEDS_SIGNING_SECRET = (
    "SLACK_SIGNING_SECRET is not set, and this database holds notes from before CIRCLES_NOTES_KEY, sealed "
    "with a key made from it: set it on this process too, as on the web process, or those notes show as "
    f"unavailable here ({SETTINGS_HELP})"
)


def check_notes_key(db: Database, settings: Settings, *, record: bool = True) -> None:
    """Raise SettingsError (one line, no key in it) unless this process's notes keys are the database's.

    Settings without a notes key pass: such a process seals nothing (and opens no note). `record`: the
    first start with a key writes the check; a command that only reads (a report, an export) checks
    against one already written and writes nothing."""
    if settings.circles_notes_key is None:
        return
    keys = notes_keys(settings)
    derived = derived_key(settings)
    try:
        with db.reading() as uow:
            row = key_check(uow.session)
    except OperationalError:  # not there yet: the process starts, and /healthz says why it cannot work
        logger.warning("the notes key was not checked: the database did not answer; the next start checks it")
        return
    if row is None and not record:
        return
    if row is None:
        with db.reading() as uow:  # outside the write lock: it may read every note, once
            earlier = _derived_notes(uow.session, keys, derived)
        sealing = Fernet(keys[0])
        research = sealing.encrypt(research_key_from(keys[0]))
        with db.unit_of_work() as uow:
            add_key_check(uow.session, sealing.encrypt(CHECKED), research, derived=earlier)
            uow.commit()
        with db.reading() as uow:  # the row that stands, perhaps another first start's
            row = key_check(uow.session)
        assert row is not None
    token, needs_secret = bytes(row.token), row.derived
    opener = next((key for key in keys if _opens(key, token)), None)
    if opener is None:
        raise SettingsError([ANOTHER_KEY])
    if record and (opener != keys[0] or row.research is None):
        _seal_again(db, keys[0], token, _research(row.research, opener))
    if needs_secret and derived is None:
        raise SettingsError([NEEDS_SIGNING_SECRET])


def _research(sealed: bytes | None, opener: bytes) -> bytes:
    """The research key the row keeps, opened; for a row written before it kept one, the one exports were
    keyed by until then (made from the key that opens the row)."""
    return research_key_from(opener) if sealed is None else Fernet(opener).decrypt(bytes(sealed))


def _seal_again(db: Database, current: bytes, opened: bytes, research: bytes) -> None:
    """Seal the check (when an earlier key opened it) and the research key with the current key."""
    sealing = Fernet(current)
    with db.unit_of_work() as uow:
        if _opens(current, opened):
            keep_research_key(uow.session, sealing.encrypt(research))
        else:
            reseal_key_check(uow.session, opened, sealing.encrypt(CHECKED), sealing.encrypt(research))
        uow.commit()


def _opens(key: bytes, token: bytes) -> bool:
    try:
        return Fernet(key).decrypt(token) == CHECKED
    except InvalidToken:
        return False


def _derived_notes(session: Session, keys: tuple[bytes, ...], derived: bytes | None) -> bool:
    """Whether notes sealed before CIRCLES_NOTES_KEY existed are stored: ones that the key derived from the
    signing secret opens, or, for a process without that secret to try, ones that none of its keys open."""
    for token in sealed_notes(session):
        if any(_opens_any(key, token) for key in keys):
            continue
        if derived is None or _opens_any(derived, token):
            return True
    return False


def _opens_any(key: bytes, token: bytes) -> bool:
    try:
        Fernet(key).decrypt(token)
    except InvalidToken:
        return False
    return True
