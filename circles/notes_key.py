"""Where the notes key comes from when CIRCLES_NOTES_KEY is not set: a file beside the SQLite database.

On SQLite (one process), the first start creates a key and keeps it in `circles-notes.key` next to the
database file, readable by its owner only. On PostgreSQL several processes share the database, and a
key made by one would not be the others', so there CIRCLES_NOTES_KEY must be set.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from cryptography.fernet import Fernet
from pydantic import SecretStr
from sqlalchemy.engine import make_url

from circles.persistence.db import Database
from circles.queries.notes_key_check import holds_sealed_data
from circles.settings import SETTINGS_HELP, Settings, SettingsError
from circles.settings_checks import is_fernet_key

KEY_FILE_NAME = "circles-notes.key"


@dataclass(frozen=True)
class NotesKey:
    """Settings that carry the notes key, and the key file made just now (to announce), if any."""

    settings: Settings
    created: Path | None = None


def key_file(database_url: str) -> Path | None:
    """The key file's place: beside a SQLite database (the working folder for one in memory); else None."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite":
        return None
    database = url.database
    folder = Path(database).resolve().parent if database and database != ":memory:" else Path.cwd()
    return folder / KEY_FILE_NAME


def ensure_notes_key(settings: Settings) -> NotesKey:
    """Settings with a notes key: CIRCLES_NOTES_KEY, else the key file, created on the first start.

    Raises SettingsError (one line) on PostgreSQL without CIRCLES_NOTES_KEY, when the key file cannot be
    read or made, and when it is missing beside a database that holds sealed data (moved, or restored
    without it): a new key would open none of it, and a check-in must never start without a way to keep
    its note.
    """
    if settings.circles_notes_key is not None:
        return NotesKey(settings)
    path = key_file(settings.database_url)
    if path is None:
        backend = make_url(settings.database_url).get_backend_name()
        raise SettingsError(
            [
                f"CIRCLES_NOTES_KEY is not set: on {backend} every Circles process must encrypt check-in "
                f"notes with the same key, so set it to a Fernet key ({SETTINGS_HELP})"
            ]
        )
    if path.exists():
        return NotesKey(_with_key(settings, _read(path)))
    if _holds_sealed_data(settings.database_url):
        raise SettingsError(
            [
                f"the notes key file {path} is missing, but the database "
                f"{make_url(settings.database_url).database} holds notes sealed with the key it held: put "
                "it back from your backup (or set CIRCLES_NOTES_KEY to that key); a new key would open none "
                f"of them ({SETTINGS_HELP})"
            ]
        )
    key, created = _create(path)
    return NotesKey(_with_key(settings, key), path if created else None)


def stored_notes_key(settings: Settings) -> Settings:
    """Settings with the notes key if there is one (CIRCLES_NOTES_KEY or its file); never makes one."""
    if settings.circles_notes_key is not None:
        return settings
    path = key_file(settings.database_url)
    if path is None or not path.exists():
        return settings
    return _with_key(settings, _read(path))


def first_run_notice(path: Path) -> list[str]:
    """What the first start says about the key it made, loudly enough to be read."""
    return [
        "NOTICE: CIRCLES_NOTES_KEY is not set, so a new key for check-in notes was created in",
        f"    {path}",
        "(readable by you only). Back it up with the database and keep it as secret as a password:",
        "without it, the notes stored so far can never be read. To use a key of your own, set",
        "CIRCLES_NOTES_KEY (see README.md, section Settings).",
    ]


def _holds_sealed_data(database_url: str) -> bool:
    """Whether the SQLite file is there and holds anything sealed (looked at without making the file)."""
    database = make_url(database_url).database
    if not database or database == ":memory:" or not Path(database).is_file():
        return False
    db = Database(database_url)
    try:
        with db.reading() as uow:
            return holds_sealed_data(uow.session)
    finally:
        db.dispose()


def _with_key(settings: Settings, key: str) -> Settings:
    return settings.model_copy(update={"circles_notes_key": SecretStr(key)})


def _read(path: Path) -> str:
    try:
        key = path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) else "not a key"
        raise SettingsError([f"cannot read the notes key file {path}: {reason} ({SETTINGS_HELP})"]) from None
    if not is_fernet_key(key):
        raise SettingsError(
            [
                f"the notes key file {path} does not hold a Fernet key: restore it from your backup, "
                f"or set CIRCLES_NOTES_KEY ({SETTINGS_HELP})"
            ]
        )
    return key


def _create(path: Path) -> tuple[str, bool]:
    """Write a new key where none is; False when another process wrote one first (then that one counts)."""
    key = Fernet.generate_key().decode("ascii")
    try:
        descriptor, draft = tempfile.mkstemp(prefix=".circles-notes-", dir=path.parent)  # owner-only
        with os.fdopen(descriptor, "w", encoding="ascii") as file:
            file.write(key + "\n")
        try:
            os.link(draft, path)  # appears whole, and never replaces a key that is already there
        except FileExistsError:
            return _read(path), False
        finally:
            with contextlib.suppress(OSError):
                os.unlink(draft)
    except OSError as error:
        raise SettingsError(
            [
                f"cannot create the notes key file {path}: {error.strerror}; set CIRCLES_NOTES_KEY "
                f"instead ({SETTINGS_HELP})"
            ]
        ) from None
    return key, True
