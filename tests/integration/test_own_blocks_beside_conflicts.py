"""A member's own "never match me with" list and the conflicts facilitators record about the same two people
are kept apart: the member changing their list never takes away what a facilitator recorded, nor is the
list refused for naming someone a facilitator kept them apart from; matching keeps them apart either way."""

from __future__ import annotations

from sqlalchemy import select

from circles.domain.match_vocabulary import ConstraintKind
from circles.domain.vocabulary import Role
from circles.persistence.db import Database
from circles.persistence.models import Cohort, MatchConstraint, Member
from circles.services.matching.constraints import own_blocks, record_conflict, set_own_blocks
from circles.services.matching.inputs import gather
from tests import factories
from tests.factories import NOW

ANA, BEN, FAC = "U0ANA", "U0BEN", "U0FAC"


def cohort_of_two(db: Database, *, facilitator_takes_part: bool = False) -> None:
    with db.unit_of_work() as uow:
        cohort = factories.cohort(uow.session, factories.workspace(uow.session), "pgy1", "PGY-1")
        for user in (ANA, BEN, *([FAC] if facilitator_takes_part else [])):
            factories.member(uow.session, cohort, user, Role.PEER, flush=False)
        factories.facilitator(uow.session, cohort, FAC)
        uow.commit()


def facilitator_records(db: Database, one: str = ANA, other: str = BEN) -> None:
    record_conflict(
        db.unit_of_work(),
        "T0001",
        "pgy1",
        one,
        other,
        ConstraintKind.NEVER,
        user_id=FAC,
        is_admin=False,
        now=NOW,
    )


def kept_apart(db: Database, one: str, other: str) -> bool:
    """Whether the next round's matching may not put these two together."""
    with db.unit_of_work() as uow:
        cohort = uow.session.scalars(select(Cohort)).one()
        ids = {user: id_ for user, id_ in uow.session.execute(select(Member.slack_user_id, Member.id))}
        return frozenset((ids[one], ids[other])) in gather(uow.session, cohort, NOW).forbidden


def test_a_facilitators_conflict_stays_when_the_member_who_blocked_the_same_person_empties_their_list(
    db: Database,
) -> None:
    cohort_of_two(db)
    set_own_blocks(db.unit_of_work(), "T0001", ANA, [BEN], NOW)
    facilitator_records(db)

    set_own_blocks(db.unit_of_work(), "T0001", ANA, [], NOW)

    assert own_blocks(db.unit_of_work(), "T0001", ANA) == []
    assert kept_apart(db, ANA, BEN)


def test_a_member_may_block_someone_a_facilitator_kept_them_apart_from_and_unblock_them_again(
    db: Database,
) -> None:
    cohort_of_two(db)
    facilitator_records(db)
    assert own_blocks(db.unit_of_work(), "T0001", ANA) == []  # the facilitator's conflict is not theirs

    set_own_blocks(db.unit_of_work(), "T0001", ANA, [BEN], NOW)
    assert own_blocks(db.unit_of_work(), "T0001", ANA) == [BEN]
    set_own_blocks(db.unit_of_work(), "T0001", ANA, [BEN], NOW)  # saved again, unchanged
    set_own_blocks(db.unit_of_work(), "T0001", ANA, [], NOW)

    assert own_blocks(db.unit_of_work(), "T0001", ANA) == []
    assert kept_apart(db, ANA, BEN)


def test_a_conflict_a_facilitator_records_about_themselves_is_not_on_their_own_list(db: Database) -> None:
    cohort_of_two(db, facilitator_takes_part=True)
    facilitator_records(db, FAC, BEN)

    assert own_blocks(db.unit_of_work(), "T0001", FAC) == []
    set_own_blocks(db.unit_of_work(), "T0001", FAC, [], NOW)
    assert kept_apart(db, FAC, BEN)


def test_the_same_conflict_recorded_twice_is_kept_once_beside_the_members_own_block(db: Database) -> None:
    cohort_of_two(db)
    set_own_blocks(db.unit_of_work(), "T0001", ANA, [BEN], NOW)
    facilitator_records(db)
    facilitator_records(db)

    with db.reading() as reading:
        rows = reading.session.execute(select(MatchConstraint.set_by, MatchConstraint.own))
        kept = sorted((set_by, own) for set_by, own in rows)
    assert kept == [(ANA, True), (FAC, False)]
