"""How much work SQLite's engine does while a block runs: its instructions, counted by a progress handler
on every connection the block uses. A measure of work that a loaded machine does not change, unlike time."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, event

from circles.persistence.db import Database


@contextmanager
def engine_steps(db: Database, every: int = 1) -> Iterator[list[int]]:
    """How many times SQLite's engine ran `every` instructions while the block ran (the list's one item)."""
    done, raw = [0], []

    def count(*_: Any) -> int:
        done[0] += 1
        return 0

    def watch(conn: Connection, *_: Any) -> None:
        connection: Any = conn.connection.driver_connection
        if connection not in raw:
            raw.append(connection)
            connection.set_progress_handler(count, every)

    event.listen(db.engine, "before_cursor_execute", watch)
    try:
        yield done
    finally:
        event.remove(db.engine, "before_cursor_execute", watch)
        for connection in raw:
            connection.set_progress_handler(None, every)
