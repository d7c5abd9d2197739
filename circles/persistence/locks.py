"""A named lock that every process on the database honours, held while work outside the database is done."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, text

# SQLite serves one process: a lock of this process is the database's.
_ONE_PROCESS = threading.Lock()


def lock_key(name: str) -> int:
    """A signed 64-bit key for PostgreSQL's advisory locks, the same in every process."""
    return int.from_bytes(hashlib.blake2b(name.encode(), digest_size=8).digest(), "big", signed=True)


@contextmanager
def held(engine: Engine, name: str) -> Iterator[None]:
    """Hold the lock `name` until the block ends: on PostgreSQL an advisory lock on a connection of its own,
    so the block may read and write through other connections; on SQLite this process's lock."""
    if engine.dialect.name != "postgresql":
        with _ONE_PROCESS:
            yield
        return
    with advisory(engine, lock_key(name)):
        yield


@contextmanager
def advisory(engine: Engine, key: int) -> Iterator[None]:
    """Hold PostgreSQL's advisory lock `key` (a session lock, on a connection of its own) till the end."""
    with engine.connect() as lock:
        lock.execute(text("SELECT pg_advisory_lock(:key)"), {"key": key})
        lock.commit()
        try:
            yield
        finally:
            lock.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})
            lock.commit()
