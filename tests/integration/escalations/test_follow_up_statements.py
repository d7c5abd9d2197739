"""Follow-ups and snoozes that come due together are taken in as many statements for twelve alerts as for
two: a cohort-wide bad week costs the tick two days later what it costs for one pair. One odd row among
them is left out, and the others are still taken."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from datetime import datetime

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from circles.domain.vocabulary import EndReason, EscalationStatus, OutboxStatus, PartnershipStatus
from circles.persistence.db import Database
from circles.persistence.models import (
    Cohort,
    Escalation,
    EscalationEvent,
    OutboxMessage,
    Partnership,
    Workspace,
)
from circles.services.escalations.access import EscalationAct
from circles.services.escalations.follow_up import follow_up_unclaimed
from circles.services.escalations.open import open_escalations
from circles.services.escalations.snooze import snooze_escalation
from circles.services.escalations.unreached import alert_unreachable
from circles.services.partnerships.endings import complete_finished_cohorts
from tests import escalation_world as w
from tests.databases import postgres_db
from tests.integration.test_statements_at_scale import FACILITATORS, alerts_to, statements, struggling_cohort

ADMIN = "U0ADMIN"
FEW, MANY = 2, 12
LATER = 10  # days between the few alerts and the many, so that each pass sees only one set due


def opened(db: Database, team: str, pairs: int, days: float) -> list[int]:
    """A cohort of `team` whose pairs all struggle, their alerts opened `days` on."""
    made = struggling_cohort(db, team, pairs)
    with db.unit_of_work() as uow:
        ids = open_escalations(uow.session, [w.struggling(p) for p in made], w.at(days), decrypt=w.unseal)
        uow.commit()
    return ids


def follow_up(db: Database, at: datetime) -> Callable[[], int]:
    def following_up() -> int:
        with db.unit_of_work() as uow:
            taken = follow_up_unclaimed(uow.session, at, [ADMIN], decrypt=w.unseal)
            uow.commit()
        return taken

    return following_up


def cost(db: Database, at: datetime) -> tuple[int, int]:
    """(statements, steps taken) of the follow-up pass at `at`."""
    taken: list[int] = []
    count = statements(db, lambda: taken.append(follow_up(db, at)()))
    return count, taken[0]


def costs(db: Database, days: float, *hours: float) -> list[tuple[int, int]]:
    """The cost of the follow-up passes at these hours after `days`."""
    return [cost(db, w.at(days, hour)) for hour in hours]


def trail(db: Database) -> list[str]:
    with db.unit_of_work() as uow:
        return list(uow.session.scalars(select(EscalationEvent.action).order_by(EscalationEvent.id)))


def test_twelve_unclaimed_alerts_are_followed_up_in_as_many_statements_as_two(db: Database) -> None:
    opened(db, "T0001", FEW, 0)
    few = costs(db, 0, 0, 48, 96)  # looked at as they open, then reminded, then sent to the admins
    opened(db, "T0002", MANY, LATER)
    many = costs(db, LATER, 0, 48, 96)
    assert [taken for _, taken in few] == [0, FEW, FEW]
    assert [taken for _, taken in many] == [0, MANY, MANY]
    assert [count for count, _ in many] == [count for count, _ in few]
    for facilitator in FACILITATORS:  # each facilitator is reminded of every alert, with its shared note
        reminders = [text for text in alerts_to(db, facilitator) if "Still waiting" in text]
        assert len(reminders) == FEW + MANY
        assert all(w.SHARED_NOTE in text for text in reminders)
    to_admins = alerts_to(db, ADMIN)
    assert len(to_admins) == FEW + MANY
    assert not any(w.SHARED_NOTE in text for text in to_admins)
    assert sorted(trail(db)) == sorted(["opened", "reminded", "sent_to_admins"] * (FEW + MANY))


def snooze_all(db: Database, escalation_ids: list[int], team: str, days: float) -> None:
    for escalation_id in escalation_ids:
        act = EscalationAct(
            db.unit_of_work(), team, FACILITATORS[0], escalation_id, is_admin=False, now=w.at(days)
        )
        snooze_escalation(act, 1)


def test_twelve_snoozes_that_end_together_come_back_in_as_many_statements_as_two(db: Database) -> None:
    snooze_all(db, opened(db, "T0001", FEW, 0), "T0001", 0)
    [few] = costs(db, 1, 0)
    costs(db, 1, 48, 96)  # back, they are followed up again: reminded, then sent to the admins
    snooze_all(db, opened(db, "T0002", MANY, LATER), "T0002", LATER)
    [many] = costs(db, LATER + 1, 0)
    assert (few[1], many[1]) == (FEW, MANY)
    assert many[0] == few[0]
    for facilitator in FACILITATORS:
        back = [text for text in alerts_to(db, facilitator) if "Back from snooze" in text]
        assert len(back) == FEW + MANY
        assert all(w.SHARED_NOTE in text for text in back)


def nobody_reached(db: Database, escalation_ids: list[int], at: datetime) -> None:
    """Every facilitator's copy of these alerts failed: they have left the workspace."""
    with db.unit_of_work() as uow:
        uow.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.channel.in_(FACILITATORS))
            .values(status=OutboxStatus.FAILED)
        )
        for escalation_id in escalation_ids:
            alert_unreachable(uow.session, escalation_id, at)
        uow.commit()


def test_twelve_alerts_no_facilitator_could_receive_reach_the_admins_in_as_many_statements_as_two(
    db: Database,
) -> None:
    few_ids = opened(db, "T0001", FEW, 0)
    costs(db, 0, 0)
    nobody_reached(db, few_ids, w.at(hours=1))
    [few] = costs(db, 0, 1)
    many_ids = opened(db, "T0002", MANY, LATER)
    costs(db, LATER, 0)
    nobody_reached(db, many_ids, w.at(LATER, 1))
    [many] = costs(db, LATER, 1)
    assert (few[1], many[1]) == (FEW, MANY)
    assert many[0] == few[0]
    to_admins = alerts_to(db, ADMIN)
    assert len(to_admins) == FEW + MANY
    assert not any(w.SHARED_NOTE in text for text in to_admins)


def cohort_of(session: Session, team: str) -> Cohort:
    """The one cohort of this team's workspace."""
    in_team = select(Workspace.id).where(Workspace.team_id == team).scalar_subquery()
    return session.scalars(select(Cohort).where(Cohort.workspace_id == in_team)).one()


def odd_threshold(db: Database, team: str) -> None:
    """As an older version let it in: more hours before a follow-up than a date can hold."""
    with db.unit_of_work() as uow:
        cohort = cohort_of(uow.session, team)
        cohort.health_thresholds = {"unclaimed_escalation_hours": 10**9}
        uow.commit()


def escalation(db: Database, escalation_id: int) -> Escalation:
    with db.unit_of_work() as uow:
        found = uow.session.get_one(Escalation, escalation_id)
        uow.session.expunge(found)
        return found


def test_a_snooze_ending_in_a_cohort_with_an_odd_threshold_comes_back_and_so_do_the_others(
    db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    sound, odd = opened(db, "T0001", FEW, 0), opened(db, "T0002", 1, 0)
    snooze_all(db, sound, "T0001", 0)
    snooze_all(db, odd, "T0002", 0)
    odd_threshold(db, "T0002")
    with caplog.at_level(logging.WARNING):
        assert follow_up(db, w.at(1))() == FEW + 1
    assert f"escalation {odd[0]} of cohort" in caplog.text
    back = [text for text in alerts_to(db, FACILITATORS[0]) if "Back from snooze" in text]
    assert len(back) == FEW + 1  # every facilitator sees each alert back, the odd one too
    came_back = escalation(db, odd[0])
    assert (came_back.status, came_back.follow_up_at) == (EscalationStatus.OPEN, None)  # until a signal
    assert all(escalation(db, e).follow_up_at == w.at(3) for e in sound)


def test_an_alert_whose_stored_state_no_version_knows_is_skipped_and_the_others_reminded(
    db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    ids = opened(db, "T0001", FEW + 1, 0)
    with db.unit_of_work() as uow:
        uow.session.get_one(Escalation, ids[0]).state = "bewildered"
        uow.commit()
    costs(db, 0, 0)
    with caplog.at_level(logging.WARNING):
        assert follow_up(db, w.at(hours=48))() == FEW
    assert f"follow-up skipped escalation {ids[0]}" in caplog.text
    reminded = [text for text in alerts_to(db, FACILITATORS[0]) if "Still waiting" in text]
    assert len(reminded) == FEW
    assert escalation(db, ids[0]).follow_up_at is None  # it waits for a signal, not every pass
    assert trail(db).count("reminded") == FEW


def sent_as_dispatched(db: Database, team: str) -> None:
    """The team's alerts went out: each copy with where it landed, as the dispatcher leaves it."""
    with db.unit_of_work() as uow:
        for n, row in enumerate(w.outbox(uow.session)):
            if row.status is OutboxStatus.PENDING and row.channel and row.channel in FACILITATORS:
                row.status = OutboxStatus.SENT
                row.result = {"ok": True, "channel": f"D{team}{row.channel}", "ts": f"1.{n}"}
        uow.commit()


def end_by_hand(db: Database, team: str, day: float) -> None:
    """The team's pairs ended outside the app's own endings (by hand, in the database)."""
    with db.unit_of_work() as uow:
        cohort = cohort_of(uow.session, team).id
        uow.session.execute(
            update(Partnership)
            .where(Partnership.cohort_id == cohort)
            .values(status=PartnershipStatus.ENDED, end_reason=EndReason.NO_FAULT, ended_at=w.at(day))
        )
        uow.commit()


def redrawn(db: Database) -> list[str]:
    """What the copies already sent are redrawn as."""
    with db.unit_of_work() as uow:
        return [w.rendered(row) for row in w.outbox(uow.session) if row.method == "chat.update"]


def test_twelve_alerts_whose_pairs_ended_are_resolved_by_the_follow_up_in_as_many_statements_as_two(
    db: Database,
) -> None:
    found = []
    for team, pairs, day in (("T0001", FEW, 0), ("T0002", MANY, LATER)):
        ids = opened(db, team, pairs, day)
        sent_as_dispatched(db, team)
        end_by_hand(db, team, day + 1)
        found.append(cost(db, w.at(day + 2)))
        with db.unit_of_work() as uow:
            assert {uow.session.get_one(Escalation, e).outcome for e in ids} == {"ended"}
    assert found[0] == (found[1][0], 0)
    assert len(redrawn(db)) == len(FACILITATORS) * (FEW + MANY)  # every copy sent shows it resolved
    assert not any(w.SHARED_NOTE in text for text in redrawn(db))
    assert trail(db).count("resolved") == FEW + MANY


def finish(db: Database, team: str, day: float) -> Callable[[], int]:
    """The cohort's end date is over: the tick completes its pairs."""
    with db.unit_of_work() as uow:
        cohort = cohort_of(uow.session, team)
        cohort.ends_on = w.at(day - 2).date()
        uow.commit()

    def completing() -> int:
        with db.unit_of_work() as uow:
            done = complete_finished_cohorts(uow.session, w.at(day))
            uow.commit()
        return done

    return completing


def test_a_cohort_ending_with_twelve_open_alerts_resolves_them_in_as_many_statements_as_with_two(
    db: Database,
) -> None:
    found = []
    for team, pairs, day in (("T0001", FEW, 0), ("T0002", MANY, LATER)):
        opened(db, team, pairs, day)
        sent_as_dispatched(db, team)
        found.append(statements(db, finish(db, team, day + 1)))
    assert found[0] == found[1]
    assert len(redrawn(db)) == len(FACILITATORS) * (FEW + MANY)
    assert trail(db).count("resolved") == FEW + MANY


@pytest.fixture
def postgres() -> Iterator[Database]:
    with postgres_db() as db:
        yield db


@pytest.mark.postgres
def test_two_passes_at_once_remind_each_facilitator_once_of_each_alert(postgres: Database) -> None:
    opened(postgres, "T0001", MANY, 0)
    cost(postgres, w.at())
    with postgres.unit_of_work() as first:  # one replica's pass, its batch written, not yet committed
        assert follow_up_unclaimed(first.session, w.at(hours=48), [ADMIN], decrypt=w.unseal) == MANY
        first.session.flush()
        assert follow_up(postgres, w.at(hours=48))() == 0  # the other's: every due alert is taken
        first.commit()
    assert follow_up(postgres, w.at(hours=48))() == 0
    for facilitator in FACILITATORS:
        assert len([text for text in alerts_to(postgres, facilitator) if "Still waiting" in text]) == MANY
    assert trail(postgres).count("reminded") == MANY
