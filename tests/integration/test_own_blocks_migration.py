"""Blocks and conflicts kept before migration 0032: the upgrade tells a member's own blocks from the
facilitators' conflicts, and going back keeps the facilitator's where both named the same two people."""

from __future__ import annotations

from alembic import command
from sqlalchemy import select, text

from circles.domain.match_vocabulary import ConstraintKind
from circles.persistence import migrate
from circles.persistence.db import Database
from circles.persistence.models import MatchConstraint
from circles.services.matching.constraints import own_blocks, record_conflict, set_own_blocks
from tests import factories
from tests.factories import NOW

ANA, BEN, CAL, FAC = "U0ANA", "U0BEN", "U0CAL", "U0FAC"
BEFORE = "0031"
KEPT_BEFORE = text(
    "INSERT INTO match_constraints (workspace_id, slack_user_id, other_user_id, kind, set_by, created_at)"
    " VALUES (:workspace, :one, :other, :kind, :set_by, :at)"
)


def cohort_of_three(db: Database) -> int:
    with db.unit_of_work() as uow:
        workspace = factories.workspace(uow.session)
        cohort = factories.cohort(uow.session, workspace, "pgy1", "PGY-1")
        for user in (ANA, BEN, CAL):
            factories.member(uow.session, cohort, user, flush=False)
        factories.facilitator(uow.session, cohort, FAC)
        uow.commit()
        return workspace.id


def stored(db: Database) -> list[tuple[str, str, str, bool]]:
    with db.reading() as reading:
        rows = reading.session.execute(
            select(
                MatchConstraint.slack_user_id,
                MatchConstraint.other_user_id,
                MatchConstraint.set_by,
                MatchConstraint.own,
            )
        )
        return sorted((one, other, set_by, own) for one, other, set_by, own in rows)


def test_blocks_kept_before_the_upgrade_stay_the_members_own_and_conflicts_the_facilitators(
    from_empty: Database,
) -> None:
    workspace_id = cohort_of_three(from_empty)
    command.downgrade(migrate.alembic_config(from_empty.engine), BEFORE)
    with from_empty.engine.begin() as connection:
        for one, other, kind, set_by in (
            (ANA, BEN, "never", ANA),  # Ana's own list
            (ANA, CAL, "never", FAC),  # a facilitator's conflicts
            (BEN, CAL, "assesses", FAC),
        ):
            values = {"one": one, "other": other, "kind": kind, "set_by": set_by}
            connection.execute(KEPT_BEFORE, {"workspace": workspace_id, "at": NOW, **values})

    migrate.upgrade(from_empty.engine)

    assert own_blocks(from_empty.unit_of_work(), "T0001", ANA) == [BEN]
    set_own_blocks(from_empty.unit_of_work(), "T0001", ANA, [CAL], NOW)
    assert stored(from_empty) == [(ANA, CAL, ANA, True), (ANA, CAL, FAC, False), (BEN, CAL, FAC, False)]


def test_going_back_keeps_the_facilitators_conflict_where_the_member_blocked_the_same_person(
    from_empty: Database,
) -> None:
    cohort_of_three(from_empty)
    set_own_blocks(from_empty.unit_of_work(), "T0001", ANA, [BEN, CAL], NOW)
    record_conflict(
        from_empty.unit_of_work(),
        "T0001",
        "pgy1",
        ANA,
        BEN,
        ConstraintKind.NEVER,
        user_id=FAC,
        is_admin=False,
        now=NOW,
    )

    command.downgrade(migrate.alembic_config(from_empty.engine), BEFORE)
    migrate.upgrade(from_empty.engine)

    assert stored(from_empty) == [(ANA, BEN, FAC, False), (ANA, CAL, ANA, True)]
