"""The SQLite file Circles makes holds people's profiles, emails and ratings: readable by its owner only,
with its write-ahead log; a file that was already there keeps the mode it was given."""

from __future__ import annotations

import stat
from pathlib import Path

from sqlalchemy import text

from circles.persistence.db import Database
from circles.persistence.migrate import upgrade


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_sqlite_file_and_its_log_are_readable_by_their_owner_only(tmp_path: Path) -> None:
    database = Database(f"sqlite:///{tmp_path / 'circles.db'}")
    try:
        upgrade(database.engine)
        with database.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
            assert mode(tmp_path / "circles.db") == 0o600
            assert mode(tmp_path / "circles.db-wal") == 0o600
    finally:
        database.dispose()


def test_a_file_already_there_keeps_its_mode(tmp_path: Path) -> None:
    shared = tmp_path / "shared.db"
    shared.touch()
    shared.chmod(0o640)
    database = Database(f"sqlite:///{shared}")
    try:
        upgrade(database.engine)
    finally:
        database.dispose()
    assert mode(shared) == 0o640
