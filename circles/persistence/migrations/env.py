"""Alembic's entry point: run migrations on the engine handed over by circles.persistence.migrate."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Engine

from circles.persistence import models  # noqa: F401 - registers every table on Base.metadata
from circles.persistence.base import Base
from circles.persistence.db import make_engine
from circles.persistence.migrations_filter import include_object
from circles.settings import Settings


def run() -> None:
    engine = context.config.attributes.get("engine")
    if not isinstance(engine, Engine):
        # Run from the `alembic` command line: use DATABASE_URL like the app does.
        engine = make_engine(Settings().database_url)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=Base.metadata,
            render_as_batch=True,  # SQLite alters tables by copying them
            include_object=include_object,
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()


run()
