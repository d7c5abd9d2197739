"""Look everywhere for words that must not have been kept: every value of every table of a database."""

from __future__ import annotations

from sqlalchemy import Connection, MetaData, select


def everything_stored(connection: Connection) -> str:
    """Every row of every table (the app's, Alembic's and Slack's stores alike), as one text to search."""
    tables = MetaData()
    tables.reflect(bind=connection)
    return "\n".join(
        str(tuple(row)) for table in tables.sorted_tables for row in connection.execute(select(table))
    )
