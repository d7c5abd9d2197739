"""People others put in a cohort (a cohort import, a workflow) are welcomed privately, once per membership,
in their own window, on SQLite and PostgreSQL; someone who joins on their own is answered on the spot."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from bot.cli_import import describe
from bot.messages import render
from circles.domain.availability import AbsenceKind
from circles.domain.vocabulary import OutboxStatus, Role
from circles.persistence.db import Database
from circles.persistence.models import AwayBlock, OutboxMessage
from circles.services.outbox.queue import claim_due
from circles.services.people.membership import add_to_cohort, join, leave
from tests import factories
from tests.factories import NOW
from tests.integration.test_cohort_import import LATER, TEAM, cohort_file, roster, run

ADDED = ["U0P0", "U0P1", "U0P2"]  # roster(3) as the import's Slack finds them
WOULD_BE = "3 people would be welcomed: a private message each, in their own working hours"


def welcomes(db: Database) -> list[OutboxMessage]:
    """Every welcome in the outbox, oldest first."""
    with db.unit_of_work() as uow:
        rows = uow.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
        return [row for row in rows if row.payload["template"] == "cohort_welcome"]


def welcomed(db: Database) -> list[str]:
    return sorted(str(row.channel) for row in welcomes(db))


def said(row: OutboxMessage) -> str:
    """All the words of a welcome as Slack receives them."""
    message = render(row.payload["template"], row.payload["args"])
    return message.text + str(message.block_dicts())


def test_an_import_that_adds_three_people_welcomes_each_of_them_privately(db: Database) -> None:
    run(db, cohort_file(roster(3)))
    rows = welcomes(db)
    assert sorted(str(row.channel) for row in rows) == ADDED  # each in their own DM
    for row in rows:
        words = said(row)
        assert "PGY-1 residents, spring" in words
        assert "<@U0FAC1>" in words
        assert "<@U0FAC2>" in words
        assert "/circles leave pgy1-spring" in words
        assert "/circles consent" in words
        assert "/circles support" in words


def test_importing_the_same_file_again_welcomes_nobody_again(db: Database) -> None:
    cohort = cohort_file(roster(3))
    run(db, cohort)
    report = run(db, cohort, now=LATER)
    assert not report.applied
    assert welcomed(db) == ADDED


def test_the_import_says_how_many_it_welcomed_and_a_dry_run_welcomes_nobody(db: Database) -> None:
    dry = run(db, cohort_file(roster(3)), dry_run=True)
    assert welcomes(db) == []
    assert WOULD_BE in describe(dry, {}, dry_run=True)

    done = describe(run(db, cohort_file(roster(3))), {}, dry_run=False)
    assert "3 people welcomed: a private message each, in their own working hours" in done
    assert done[-1] == "saved"


def test_someone_already_in_the_cohort_is_not_welcomed_when_a_file_lists_them(db: Database) -> None:
    run(db, cohort_file(roster(2)))
    join(db.unit_of_work(), TEAM, "pgy1-spring", "U0P2", Role.LEARNER, NOW)  # answered on the spot
    assert welcomed(db) == ["U0P0", "U0P1"]

    report = run(db, cohort_file(roster(3)), now=LATER)
    assert report.applied  # U0P2's profile comes from the file
    assert welcomed(db) == ["U0P0", "U0P1"]


def test_someone_who_left_and_is_added_back_is_welcomed_again_as_a_new_member(db: Database) -> None:
    run(db, cohort_file(roster(3)))
    leave(db.unit_of_work(), TEAM, "pgy1-spring", "U0P1", NOW + timedelta(days=1))
    back = roster(3)
    back[1] = back[1].replace("role: learner", "role: learner, status: active")

    run(db, cohort_file(back), now=LATER)
    run(db, cohort_file(back), now=LATER + timedelta(days=1))  # and the same file again

    assert welcomed(db) == ["U0P0", "U0P1", "U0P1", "U0P2"]


def test_a_welcome_waits_for_its_persons_window_and_while_they_are_away(db: Database) -> None:
    with db.unit_of_work() as uow:
        ws = factories.workspace(uow.session, TEAM)
        away = AwayBlock(
            workspace_id=ws.id,
            slack_user_id="U0P1",
            starts_at=NOW - timedelta(days=1),
            ends_at=NOW + timedelta(days=7),
            kind=AbsenceKind.ROTATION,
            created_by="U0FAC1",
            created_at=NOW,
        )
        uow.session.add(away)
        uow.commit()
    run(db, cohort_file(roster(3)))  # 03:00 in Chicago, where the file's people are

    assert claim(db, NOW) == []
    morning = NOW.replace(hour=15)  # 09:00 in Chicago
    assert claim(db, morning) == ["U0P0", "U0P2"]
    [held] = [row for row in welcomes(db) if row.channel == "U0P1"]
    assert held.status is OutboxStatus.PENDING
    assert held.due_at >= NOW + timedelta(days=7)


def test_someone_who_leaves_before_their_welcome_went_out_is_not_welcomed_afterwards(db: Database) -> None:
    run(db, cohort_file(roster(3)))  # 03:00 in Chicago: the welcomes wait for the morning
    leave(db.unit_of_work(), TEAM, "pgy1-spring", "U0P1", NOW + timedelta(hours=1))

    assert claim(db, NOW.replace(hour=15)) == ["U0P0", "U0P2"]
    [withdrawn] = [row for row in welcomes(db) if row.channel == "U0P1"]
    assert withdrawn.status is OutboxStatus.SUPERSEDED


def test_a_welcome_names_the_facilitators_and_no_other_member(db: Database) -> None:
    with db.unit_of_work() as uow:
        cohort = factories.cohort(uow.session, factories.workspace(uow.session, TEAM), "pgy1-spring")
        factories.member(uow.session, cohort, "U0SEEN")  # already there, and never named to newcomers
        uow.commit()
    run(db, cohort_file([*roster(3), "{user: U0SEEN, role: learner}"]))

    others = {"U0SEEN", *ADDED}
    for row in welcomes(db):
        words = said(row) + str(row.payload)
        assert "<@U0FAC1>" in words
        assert not {user for user in others - {row.channel} if user in words}


def test_a_workflow_that_adds_someone_welcomes_them_once_and_again_after_they_left(db: Database) -> None:
    with db.unit_of_work() as uow:
        cohort = factories.cohort(uow.session, factories.workspace(uow.session, TEAM), "pgy1-spring")
        factories.facilitator(uow.session, cohort, "U0FAY")
        uow.commit()

    def add(at: timedelta) -> None:
        add_to_cohort(db.unit_of_work(), TEAM, "pgy1-spring", "U0SAM", Role.PEER, NOW + at)

    add(timedelta(0))
    add(timedelta(minutes=1))  # the workflow run again: Sam is in already
    assert welcomed(db) == ["U0SAM"]

    leave(db.unit_of_work(), TEAM, "pgy1-spring", "U0SAM", NOW + timedelta(days=1))
    add(timedelta(days=2))
    assert welcomed(db) == ["U0SAM", "U0SAM"]


def test_someone_who_joins_on_their_own_gets_no_welcome_through_the_outbox(db: Database) -> None:
    with db.unit_of_work() as uow:
        factories.cohort(uow.session, factories.workspace(uow.session, TEAM), "pgy1-spring")
        uow.commit()
    join(db.unit_of_work(), TEAM, "pgy1-spring", "U0SAM", Role.PEER, NOW)  # the join answers on the spot
    assert welcomes(db) == []


def claim(db: Database, at: datetime) -> list[str]:
    """Whose welcomes a dispatcher claims at that instant."""
    claimed = claim_due(db.unit_of_work(), at, limit=50, claim_for=timedelta(minutes=5))
    return sorted(str(row.channel) for row in claimed if row.payload["template"] == "cohort_welcome")
