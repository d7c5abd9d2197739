"""Bring a database's schema up to date with Alembic."""

from __future__ import annotations

import functools
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

MIGRATIONS = Path(__file__).parent / "migrations"


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


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Apply every migration not yet applied; running it again changes nothing.

    A database already at the head is left alone without starting Alembic's migration environment, which
    loads every migration script: every process that starts on an up-to-date database would pay for it."""
    if revision == "head" and is_up_to_date(engine):
        return
    command.upgrade(alembic_config(engine), revision)


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
