"""A scheduling step that PostgreSQL chose as a deadlock's victim is done again; other faults are not."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import DBAPIError

from circles.persistence.retry import ATTEMPTS
from circles.persistence.retry import once_through_deadlocks as _once_through_deadlocks


class DriverError(Exception):
    def __init__(self, sqlstate: str) -> None:
        super().__init__(sqlstate)
        self.sqlstate = sqlstate


def failing(sqlstate: str, times: int) -> tuple[list[int], object]:
    calls: list[int] = []

    def step() -> str:
        calls.append(1)
        if len(calls) <= times:
            raise DBAPIError("UPDATE …", None, DriverError(sqlstate))
        return "done"

    return calls, step


def test_a_deadlocked_step_is_done_again_until_it_goes_through() -> None:
    calls, step = failing("40P01", times=2)
    assert _once_through_deadlocks(step) == "done"  # type: ignore[arg-type]
    assert len(calls) == 3


def test_a_step_that_keeps_deadlocking_gives_up_after_its_attempts() -> None:
    calls, step = failing("40P01", times=ATTEMPTS)
    with pytest.raises(DBAPIError):
        _once_through_deadlocks(step)  # type: ignore[arg-type]
    assert len(calls) == ATTEMPTS


def test_any_other_database_fault_is_not_retried() -> None:
    calls, step = failing("23505", times=1)
    with pytest.raises(DBAPIError):
        _once_through_deadlocks(step)  # type: ignore[arg-type]
    assert len(calls) == 1
