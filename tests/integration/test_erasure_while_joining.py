"""Someone who left pgy1 asks to have their data erased at the moment they join a cohort again (pgy1 once
more, or pgy2 for the first time) on another replica (PostgreSQL). The two take turns on the person: an
erasure that comes second finds them in a cohort and refuses, keeping their profile and never-match list; a
join that comes second finds no profile, and its answer opens the profile form."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from circles.domain.vocabulary import MemberStatus, Role
from circles.persistence.db import Database
from circles.persistence.models import Cohort, Member, Profile
from circles.services.matching.constraints import own_blocks, set_own_blocks
from circles.services.people.erasure import erase_personal_data
from circles.services.people.membership import Joined, join
from tests import factories
from tests.factories import NOW
from tests.integration.test_erasure_leave_during_confirm import CommitAfter

SAM, BOB = "U0SAM", "U0BOB"
LATER = NOW + timedelta(days=3)
BACK_OR_NEW = pytest.mark.parametrize("slug", ["pgy1", "pgy2"], ids=["rejoining pgy1", "joining pgy2"])


def left_pgy1(db: Database) -> None:
    """Sam left pgy1, which Bob is still in, keeping a profile and asking never to be matched with Bob."""
    with db.unit_of_work() as uow:
        ws = factories.workspace(uow.session)
        pgy1 = factories.cohort(uow.session, ws, "pgy1", "PGY-1")
        factories.cohort(uow.session, ws, "pgy2", "PGY-2")
        factories.member(uow.session, pgy1, SAM, Role.PEER, MemberStatus.LEFT, flush=False).left_at = NOW
        factories.member(uow.session, pgy1, BOB, Role.PEER, flush=False)
        factories.profile(uow.session, ws, SAM).interests = "Night shifts"  # a profile of their own
        uow.commit()
    set_own_blocks(db.unit_of_work(), "T0001", SAM, [BOB], NOW)


def erasing(db: Database) -> object:
    return erase_personal_data(db.unit_of_work(), "T0001", SAM, NOW)


def joining(db: Database, slug: str) -> object:
    return join(db.unit_of_work(), "T0001", slug, SAM, Role.PEER, LATER)


def memberships(db: Database) -> dict[str, Member]:
    with db.reading() as reading:
        query = select(Cohort.slug, Member).join(Cohort, Cohort.id == Member.cohort_id)
        return {slug: row for slug, row in reading.session.execute(query.where(Member.slack_user_id == SAM))}


def has_profile(db: Database) -> bool:
    with db.reading() as reading:
        return (
            reading.session.scalars(select(Profile).where(Profile.slack_user_id == SAM)).first() is not None
        )


@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
@BACK_OR_NEW
def test_an_erasure_pressed_while_the_person_joins_is_refused_and_keeps_their_profile(
    db: Database, slug: str
) -> None:
    left_pgy1(db)
    held = CommitAfter(db, lambda: erasing(db))

    joined = join(held, "T0001", slug, SAM, Role.PEER, LATER)

    [erased] = held.outcome
    assert erased is False  # "you are still in a cohort": nothing of theirs is touched
    assert (joined.already, joined.has_profile) == (False, True)
    stints = memberships(db)
    assert stints[slug].status is MemberStatus.ACTIVE
    assert [stint.erased_before for stint in stints.values()] == [None] * len(stints)
    assert has_profile(db)
    assert own_blocks(db.unit_of_work(), "T0001", SAM) == [BOB]


@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
@BACK_OR_NEW
def test_a_join_pressed_while_the_persons_data_is_erased_waits_and_then_asks_for_a_profile(
    db: Database, slug: str
) -> None:
    left_pgy1(db)
    held = CommitAfter(db, lambda: joining(db, slug))

    erased = erase_personal_data(held, "T0001", SAM, NOW)

    [joined] = held.outcome
    assert erased is True
    assert isinstance(joined, Joined), joined
    assert (joined.already, joined.has_profile) == (False, False)  # the profile form follows the join
    assert memberships(db)[slug].status is MemberStatus.ACTIVE
    assert not has_profile(db)
    assert own_blocks(db.unit_of_work(), "T0001", SAM) == []
