"""A database gone for a moment is told apart from a fault of the work, and only it is asked again."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError

from circles.persistence.retry import again_if_dropped, database_unavailable


class DriverError(Exception):
    """What psycopg raises: every error carries PostgreSQL's SQLSTATE, None when it never got one."""

    def __init__(self, sqlstate: str | None) -> None:
        super().__init__(sqlstate)
        self.sqlstate = sqlstate


def operational(sqlstate: str | None, *, invalidated: bool = False) -> OperationalError:
    return OperationalError("SELECT …", None, DriverError(sqlstate), connection_invalidated=invalidated)


@pytest.mark.parametrize(
    "error",
    [
        operational("57P01", invalidated=True),  # terminated by an operator, or a restart
        operational(None),  # could not connect at all
        operational("08006"),  # the connection failed
        operational("57P03"),  # the server is starting up
    ],
)
def test_a_dropped_or_refused_connection_is_the_database_being_unavailable(error: Exception) -> None:
    assert database_unavailable(error)


@pytest.mark.parametrize(
    "error",
    [
        IntegrityError("INSERT …", None, DriverError("23505")),
        operational("40P01"),  # a deadlock's victim: another matter
        OperationalError("SELECT …", None, sqlite3.OperationalError("no such table: cohorts")),
        ValueError("not a database error"),
    ],
)
def test_anything_else_is_not(error: Exception) -> None:
    assert not database_unavailable(error)


def test_a_step_whose_connection_dropped_is_done_again_after_each_wait_then_given_up() -> None:
    calls: list[int] = []
    slept: list[float] = []

    def step() -> str:
        calls.append(1)
        raise operational("57P01", invalidated=True)

    with pytest.raises(DBAPIError):
        again_if_dropped(step, waits=(0.0, 1.0), sleep=slept.append)
    assert (len(calls), slept) == (3, [0.0, 1.0])


def test_a_step_is_done_again_until_it_goes_through_and_a_fault_is_not_retried() -> None:
    calls: list[int] = []

    def dropped_once() -> str:
        calls.append(1)
        if len(calls) == 1:
            raise operational(None)
        return "done"

    assert again_if_dropped(dropped_once, sleep=lambda _: None) == "done"
    assert len(calls) == 2

    def faulty() -> str:
        calls.append(1)
        raise IntegrityError("INSERT …", None, DriverError("23505"))

    with pytest.raises(IntegrityError):
        again_if_dropped(faulty, sleep=lambda _: None)
    assert len(calls) == 3
