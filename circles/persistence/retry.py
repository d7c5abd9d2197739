"""Do again a transaction the database ended, when doing it again is safe.

Two kinds of ending call for it: PostgreSQL choosing a transaction as a deadlock's victim (its work was
rolled back whole), and a connection that dropped (PostgreSQL restarted, or an operator terminated the
backend). The engine pre-pings what it checks out, so the next unit of work has a live connection.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from typing import TypeVar

from sqlalchemy.exc import DBAPIError, OperationalError

logger = logging.getLogger(__name__)
T = TypeVar("T")

# PostgreSQL ends one of two transactions that wait on each other (deadlock_detected), or one that
# cannot be serialised; its work was rolled back whole, so doing it again is safe and is the remedy.
RETRYABLE_SQLSTATES = frozenset({"40P01", "40001"})
ATTEMPTS = 3
# A connection gone (class 08), the server shutting down or not yet up (57P01-57P03).
_UNAVAILABLE_SQLSTATES = ("08", "57P01", "57P02", "57P03")
# Waits before each new attempt after the connection dropped: at once (another connection), then long
# enough for PostgreSQL to finish restarting.
RECONNECT_WAITS = (0.0, 1.0, 3.0)


def once_through_deadlocks(step: Callable[[], T]) -> T:
    """Run one transaction's step, again if PostgreSQL chose it as a deadlock's victim."""
    for attempt in range(1, ATTEMPTS + 1):
        try:
            return step()
        except DBAPIError as error:
            if getattr(error.orig, "sqlstate", None) not in RETRYABLE_SQLSTATES or attempt == ATTEMPTS:
                raise
            logger.info("a scheduling step met another process's transaction; doing it again")
    raise AssertionError("unreachable")  # pragma: no cover


def database_unavailable(error: BaseException) -> bool:
    """Whether the error is the database going away (or not answering yet), not a fault of the work.

    The connection dropped mid-transaction, could not be made, or PostgreSQL is shutting down or starting.
    """
    if not isinstance(error, DBAPIError):
        return False
    if error.connection_invalidated:
        return True
    if not isinstance(error, OperationalError):
        return False
    found = getattr(error.orig, "sqlstate", False)
    if found is False:  # not PostgreSQL's driver: SQLite's file is there or it is not, nothing drops
        return False
    # psycopg gives no SQLSTATE when it cannot connect at all.
    return found is None or str(found).startswith(_UNAVAILABLE_SQLSTATES)


def again_if_dropped(
    step: Callable[[], T],
    *,
    waits: Sequence[float] = RECONNECT_WAITS,
    sleep: Callable[[float], None] = time.sleep,
) -> T:
    """Run a transaction's step, again on a new connection if the database dropped the one it had.

    Only for steps that are safe to do twice: a drop at COMMIT leaves unknown whether it went through.
    After the last wait the error is raised; `database_unavailable` recognises it.
    """
    for wait in waits:
        try:
            return step()
        except DBAPIError as error:
            if not database_unavailable(error):
                raise
            logger.info("the database connection dropped; doing that again on a new one")
        sleep(wait)
    return step()
