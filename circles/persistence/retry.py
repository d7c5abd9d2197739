"""Do again a transaction the database chose to end so that another could go on."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.exc import DBAPIError

logger = logging.getLogger(__name__)
T = TypeVar("T")

# PostgreSQL ends one of two transactions that wait on each other (deadlock_detected), or one that
# cannot be serialised; its work was rolled back whole, so doing it again is safe and is the remedy.
RETRYABLE_SQLSTATES = frozenset({"40P01", "40001"})
ATTEMPTS = 3


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
