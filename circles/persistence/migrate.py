"""Bring a database's schema up to date with Alembic."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from circles.persistence.locks import advisory

MIGRATIONS = Path(__file__).parent / "migrations"
# The PostgreSQL advisory lock every upgrade holds, so that replicas starting together migrate one at a time.
UPGRADE_LOCK = 0x436972636C6573  # "Circles"


def alembic_config(engine: Engine) -> Config:
    """An Alembic configuration that runs on this engine, with no alembic.ini needed."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


class SchemaFromANewerVersion(Exception):
    """The database was migrated by a newer Circles than this one, which cannot read or upgrade it."""

    def __init__(self, revision: str) -> None:
        super().__init__(
            f"the database was upgraded by a newer version of Circles (schema {revision}): "
            "run that version, or restore the backup taken before it"
        )
        self.revision = revision


def upgrade(engine: Engine, revision: str = "head") -> str | None:
    """Apply every migration not yet applied; running it again changes nothing. Returns the revision the
    database was at before (None for an empty one).

    A database already at the head is left alone without starting Alembic's migration environment, which
    loads every migration script: every process that starts on an up-to-date database would pay for it.
    On PostgreSQL, processes upgrading at the same moment (replicas starting together) take turns: the
    later ones find the schema up to date rather than create the same tables again."""
    if revision == "head" and is_up_to_date(engine):
        return head_revision()
    with _one_at_a_time(engine):
        before = current_revision(engine)
        if revision == "head" and is_up_to_date(engine):  # another process upgraded it while this one waited
            return before
        command.upgrade(alembic_config(engine), revision)
    return before


@contextmanager
def _one_at_a_time(engine: Engine) -> Iterator[None]:
    """Hold PostgreSQL's advisory lock for upgrades; on SQLite its own write lock already makes a second
    upgrade wait for the first."""
    if engine.dialect.name != "postgresql":
        yield
        return
    with advisory(engine, UPGRADE_LOCK):
        yield


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


@functools.cache  # the migration scripts a process ships with do not change while it runs
def head_revision() -> str | None:
    return ScriptDirectory(str(MIGRATIONS)).get_current_head()


@functools.cache
def known_revisions() -> frozenset[str]:
    return frozenset(script.revision for script in ScriptDirectory(str(MIGRATIONS)).walk_revisions())


def is_up_to_date(engine: Engine) -> bool:
    """Whether the schema is at this version's head; SchemaFromANewerVersion when it is past it."""
    current = current_revision(engine)
    if current is not None and current != head_revision() and current not in known_revisions():
        raise SchemaFromANewerVersion(current)
    return current == head_revision()
