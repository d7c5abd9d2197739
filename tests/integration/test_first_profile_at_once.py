"""Someone with no profile yet saves twice at once on two replicas (PostgreSQL): the profile form twice, or
with their hours or digest days, or their avoid list twice. The later save waits for the first and changes
the one profile as the first left it, instead of failing on the unique key and losing what they typed."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import select

from circles.domain.availability import parse_shift
from circles.domain.availability.own_hours import HoursChoice
from circles.domain.vocabulary import Role
from circles.persistence.db import Database, UnitOfWork
from circles.persistence.models import Profile
from circles.services.availability.pattern import choose_hours
from circles.services.matching.constraints import own_blocks, set_own_blocks
from circles.services.nudges.days import choose_digest_days
from circles.services.people.profiles import save_profile
from circles.services.people.profiles.fields import ProfileFields
from tests import factories
from tests.databases import postgres_db
from tests.factories import NOW
from tests.integration.test_erasure_leave_during_confirm import CommitAfter

ANA, BEN, CAL = "U0ANA", "U0BEN", "U0CAL"
DAYS = parse_shift("Mon-Fri 08:00-17:00")


@pytest.fixture
def postgres() -> Iterator[Database]:
    """A cohort of three on a PostgreSQL database of the test's own; nobody has a profile yet."""
    with postgres_db() as db:
        with db.unit_of_work() as uow:
            cohort = factories.cohort(uow.session, factories.workspace(uow.session), "pgy1", "PGY-1")
            for user in (ANA, BEN, CAL):
                factories.member(uow.session, cohort, user, Role.PEER, flush=False)
            uow.commit()
        yield db


def profile_saying(interests: str) -> Callable[[UnitOfWork], object]:
    return lambda uow: save_profile(
        uow, "T0001", ANA, ProfileFields(interests=interests), slack=None, now=NOW
    )


def hours(uow: UnitOfWork) -> object:
    return choose_hours(uow, "T0001", ANA, HoursChoice(DAYS), NOW)


def digest_days(uow: UnitOfWork) -> object:
    return choose_digest_days(uow, "T0001", ANA, [0, 2], NOW)


def avoiding(*others: str) -> Callable[[UnitOfWork], object]:
    return lambda uow: set_own_blocks(uow, "T0001", ANA, others, NOW)


def at_once(
    db: Database, first: Callable[[UnitOfWork], object], later: Callable[[UnitOfWork], object]
) -> None:
    """`later` runs on another replica while `first` holds its writes uncommitted; it must not fail."""
    held = CommitAfter(db, lambda: later(db.unit_of_work()))
    first(held)
    [outcome] = held.outcome
    assert not isinstance(outcome, BaseException), outcome


def profile(db: Database) -> Profile:
    with db.reading() as reading:
        return reading.session.scalars(select(Profile)).one()


@pytest.mark.postgres
def test_a_first_profile_saved_twice_at_once_is_one_profile_with_the_later_save(postgres: Database) -> None:
    at_once(postgres, profile_saying("first"), profile_saying("later"))

    assert profile(postgres).interests == "later"


@pytest.mark.postgres
def test_hours_chosen_while_a_first_profile_is_saved_are_kept_with_the_profile(postgres: Database) -> None:
    at_once(postgres, profile_saying("first"), hours)

    saved = profile(postgres)
    assert (saved.interests, saved.work_pattern is not None) == ("first", True)


@pytest.mark.postgres
def test_digest_days_chosen_while_first_hours_are_saved_are_kept_with_the_hours(postgres: Database) -> None:
    at_once(postgres, hours, digest_days)

    saved = profile(postgres)
    assert (saved.working_days, saved.work_pattern is not None) == ("02", True)


@pytest.mark.postgres
def test_the_same_avoid_list_saved_twice_at_once_is_kept_once(postgres: Database) -> None:
    at_once(postgres, avoiding(BEN), avoiding(BEN))

    assert own_blocks(postgres.unit_of_work(), "T0001", ANA) == [BEN]


@pytest.mark.postgres
def test_two_avoid_lists_saved_at_once_leave_the_later_list_whole_not_both_mixed(postgres: Database) -> None:
    save_profile(
        postgres.unit_of_work(), "T0001", ANA, ProfileFields(), slack=None, now=NOW
    )  # as the form does

    at_once(postgres, avoiding(BEN), avoiding(CAL))

    assert own_blocks(postgres.unit_of_work(), "T0001", ANA) == [CAL]
