"""PostgreSQL dropping a connection in the middle of the work, as a restart or pg_terminate_backend does."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, create_engine, event, text

from tests.databases import POSTGRES_URL

COMMIT = "COMMIT"  # as a fragment: drop the connection as its transaction is about to commit


@contextmanager
def dropped_at(engine: Engine, *fragments: str, times: int = 1, skip: int = 0) -> Iterator[list[str]]:
    """Kill the server side of the connection about to send a statement holding every one of `fragments`.

    The statement then meets a dead connection, as when PostgreSQL restarts or an operator terminates
    the backend mid-request. The first `skip` such statements go through; the next `times` are dropped.
    Yields the statements that were dropped, in order.
    """
    dropped: list[str] = []
    seen = [0]
    wanted = [fragment.upper() for fragment in fragments]
    killer = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT", pool_size=1)

    def drop(statement: str, pid: int) -> None:
        seen[0] += 1
        if seen[0] <= skip or len(dropped) >= times:
            return
        dropped.append(statement)
        with killer.connect() as connection:
            connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
            gone = text("SELECT count(*) FROM pg_stat_activity WHERE pid = :pid")
            deadline = time.monotonic() + 5
            while connection.execute(gone, {"pid": pid}).scalar() and time.monotonic() < deadline:
                time.sleep(0.01)

    def before_statement(_conn: Any, cursor: Any, statement: str, *_: Any) -> None:
        if all(fragment in statement.upper() for fragment in wanted):
            drop(statement, cursor.connection.info.backend_pid)

    def before_commit(conn: Any) -> None:
        drop(COMMIT, conn.connection.dbapi_connection.info.backend_pid)

    name, listener = (
        ("commit", before_commit) if wanted == [COMMIT] else ("before_cursor_execute", before_statement)
    )
    event.listen(engine, name, listener)
    try:
        yield dropped
    finally:
        event.remove(engine, name, listener)
        killer.dispose()
