"""A SQLite database moved or restored without its circles-notes.key is refused, naming the missing file,
rather than given a new key that opens none of its notes (and gives every research pseudonym anew)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import select

from bot.deps import build_deps
from circles.notes import note_cipher
from circles.notes_key import KEY_FILE_NAME, ensure_notes_key
from circles.persistence.db import Database
from circles.persistence.models import CheckIn
from circles.settings import Settings, SettingsError
from tests import escalation_world as w
from tests.databases import migrated_sqlite_url


def settings(url: str) -> Settings:
    return Settings(_env_file=None, database_url=url, slack_bot_token="xoxb-1", slack_app_token="xapp-1")


def first_start(folder: Path, *, notes: bool) -> str:
    """A database whose first start made its key file; with notes sealed under that key, or none at all."""
    url = migrated_sqlite_url(folder)
    keyed = ensure_notes_key(settings(url)).settings
    db = Database(url)
    build_deps(keyed, db)  # the start writes the key check
    if notes:
        cipher = note_cipher(keyed)
        with db.unit_of_work() as uow:
            w.build(uow.session)
            for checkin in uow.session.scalars(select(CheckIn).where(CheckIn.note_encrypted.is_not(None))):
                checkin.note_encrypted = cipher.encrypt(w.unseal(checkin.note_encrypted or b""))
            uow.commit()
    db.dispose()
    return url


def moved(old: Path, new: Path) -> str:
    new.mkdir()
    shutil.copyfile(old / "circles.db", new / "circles.db")  # the key file left behind
    return f"sqlite:///{new / 'circles.db'}"


@pytest.mark.parametrize("notes", [True, False], ids=["with notes", "started once, no notes yet"])
def test_a_database_moved_without_its_key_file_is_refused_naming_the_missing_file(
    tmp_path: Path, notes: bool
) -> None:
    (old := tmp_path / "old").mkdir()
    first_start(old, notes=notes)
    url = moved(old, tmp_path / "new")
    with pytest.raises(SettingsError) as refused:
        ensure_notes_key(settings(url))
    [line] = refused.value.problems
    assert f"the notes key file {tmp_path / 'new' / KEY_FILE_NAME} is missing" in line
    assert str(tmp_path / "new" / "circles.db") in line
    assert not (tmp_path / "new" / KEY_FILE_NAME).exists()  # no new key made
    shutil.copyfile(old / KEY_FILE_NAME, tmp_path / "new" / KEY_FILE_NAME)  # put back: it starts
    restored = ensure_notes_key(settings(url)).settings
    build_deps(restored, Database(url)).db.dispose()


def test_a_new_database_with_nothing_sealed_still_gets_its_key_file(tmp_path: Path) -> None:
    url = migrated_sqlite_url(tmp_path)
    assert ensure_notes_key(settings(url)).created == tmp_path / KEY_FILE_NAME


def test_a_key_file_of_another_database_beside_it_is_refused_at_start(tmp_path: Path) -> None:
    (old := tmp_path / "old").mkdir()
    first_start(old, notes=True)
    url = moved(old, tmp_path / "new")
    (tmp_path / "new" / KEY_FILE_NAME).write_text(f"{Fernet.generate_key().decode()}\n")
    with pytest.raises(SettingsError, match="does not open what this database holds sealed"):
        build_deps(ensure_notes_key(settings(url)).settings, Database(url))
