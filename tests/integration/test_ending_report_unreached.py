"""A partner's ending report that no facilitator could receive still reaches someone who may hear it, once:
another facilitator, else the admins (without the reason, which is for the facilitators), never the pair."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.messages import render
from bot.views.endings import change_confirmed
from circles.domain.vocabulary import OutboxStatus
from circles.persistence.db import Database, UnitOfWork
from circles.persistence.models import Cohort, Facilitator
from circles.queries.outbox.claims import settle_failed
from circles.services.outbox.queue import claim_due
from circles.services.outbox.unreachable import Unreachable, carried_on, fail_unreachable
from circles.services.partnerships.changes import end_partnership, pause_partnership
from tests import factories
from tests.databases import postgres_db, raced
from tests.integration.test_endings import REASON, pair
from tests.integration.test_given_up_messages import senders_keep_dying, slack_keeps_failing
from tests.integration.test_support_unreachable import rows, send_failing

NOW = factories.NOW
ADMINS = ["U0ADM", "U0COACH"]
CLAIM = timedelta(minutes=5)  # the coach is an admin too: never told of their own pair's ending


def ended(db: Database, *more_facilitators: str) -> None:
    """The learner ends their partnership with their coach, in a cohort run by U0FAC and these."""
    partnership_id = pair(db)
    if more_facilitators:
        with db.unit_of_work() as uow:
            cohort = uow.session.scalars(select(Cohort)).one()
            for user in more_facilitators:
                factories.facilitator(uow.session, cohort, user, flush=False)
            uow.commit()
    key = factories.request_key()
    end_partnership(db.unit_of_work(), "T0001", "U0LEARN", partnership_id, REASON, NOW, request_key=key)


def reports(db: Database) -> list[tuple[str | None, OutboxStatus]]:
    return [(row.channel, row.status) for row in rows(db) if row.payload["template"] == "partnership_report"]


def shown(db: Database, user: str) -> str:
    [row] = [
        row for row in rows(db) if row.channel == user and row.payload["template"] == "partnership_report"
    ]
    message = render(row.payload["template"], row.payload["args"])
    return message.text + json.dumps(message.block_dicts())


@pytest.mark.parametrize(
    "error", ["user_disabled", "channel_not_found", "is_archived", "team_access_not_granted"]
)
def test_a_report_its_only_facilitator_cannot_receive_goes_to_the_admins_without_the_reason(
    db: Database, error: str
) -> None:
    ended(db)
    send_failing(db, NOW, {"U0FAC": error}, ADMINS)
    assert reports(db) == [("U0FAC", OutboxStatus.FAILED), ("U0ADM", OutboxStatus.PENDING)]
    to_admin = shown(db, "U0ADM")
    assert "<@U0LEARN> ended their partnership with <@U0COACH>" in to_admin
    assert "never found a time" not in to_admin
    assert "None of the cohort's facilitators could be reached" in to_admin
    send_failing(db, NOW + timedelta(minutes=1), {"U0FAC": error}, ADMINS)
    assert reports(db) == [("U0FAC", OutboxStatus.FAILED), ("U0ADM", OutboxStatus.SENT)]


def test_a_facilitator_not_tried_yet_gets_it_with_the_reason_rather_than_the_admins(db: Database) -> None:
    ended(db)
    with db.unit_of_work() as uow:
        factories.facilitator(uow.session, uow.session.scalars(select(Cohort)).one(), "U0NEW")  # added since
        uow.commit()
    send_failing(db, NOW, {"U0FAC": "user_disabled"}, ADMINS)
    assert reports(db) == [("U0FAC", OutboxStatus.FAILED), ("U0NEW", OutboxStatus.PENDING)]
    assert "never found a time" in shown(db, "U0NEW")


def test_while_another_facilitator_has_it_nobody_else_is_asked(db: Database) -> None:
    ended(db, "U0GUS")
    send_failing(db, NOW, {"U0FAC": "user_disabled"}, ADMINS)
    assert reports(db) == [("U0FAC", OutboxStatus.FAILED), ("U0GUS", OutboxStatus.SENT)]


def test_when_the_admins_cannot_receive_it_either_nobody_is_asked_again(db: Database) -> None:
    ended(db)
    send_failing(db, NOW, {"U0FAC": "user_disabled"}, ADMINS)
    send_failing(db, NOW + timedelta(minutes=1), {"U0ADM": "user_disabled"}, ADMINS)
    assert reports(db) == [("U0FAC", OutboxStatus.FAILED), ("U0ADM", OutboxStatus.FAILED)]


def test_a_report_given_up_after_slack_kept_failing_goes_to_the_admins(db: Database) -> None:
    ended(db)
    slack_keeps_failing(db, NOW + timedelta(hours=4), ADMINS)
    assert reports(db) == [("U0FAC", OutboxStatus.FAILED), ("U0ADM", OutboxStatus.PENDING)]


def test_a_report_whose_senders_kept_dying_goes_to_the_admins(db: Database) -> None:
    ended(db)
    senders_keep_dying(db, NOW, ADMINS)
    assert reports(db)[:2] == [("U0FAC", OutboxStatus.FAILED), ("U0ADM", OutboxStatus.PENDING)]


def test_a_pause_its_facilitator_cannot_receive_is_passed_on_to_nobody(db: Database) -> None:
    partnership_id = pair(db)
    key = factories.request_key()
    pause_partnership(db.unit_of_work(), "T0001", "U0LEARN", partnership_id, NOW, request_key=key)
    send_failing(db, NOW, {"U0FAC": "user_disabled"}, ADMINS)
    assert reports(db) == [("U0FAC", OutboxStatus.FAILED)]


def test_an_ending_no_facilitator_may_hear_of_goes_to_the_admins_at_once_without_the_reason(
    db: Database,
) -> None:
    partnership_id = pair(db)
    with db.unit_of_work() as uow:  # the cohort's only facilitator is the learner's coach
        facilitator = uow.session.scalars(select(Facilitator)).one()
        facilitator.slack_user_id = "U0COACH"
        uow.commit()
    key = factories.request_key()
    change = end_partnership(
        db.unit_of_work(), "T0001", "U0LEARN", partnership_id, REASON, NOW, request_key=key, admins=ADMINS
    )
    assert change.facilitators == []
    assert "can see what you wrote" not in change_confirmed(change)  # nobody can: they are told so
    assert "goes to nobody" in change_confirmed(change)
    assert reports(db) == [("U0ADM", OutboxStatus.PENDING)]
    assert "never found a time" not in shown(db, "U0ADM")
    assert "never found a time" not in json.dumps([row.payload for row in rows(db)])


@pytest.mark.postgres
def test_two_facilitators_copies_failing_at_once_on_two_replicas_still_reach_the_admins() -> None:
    with postgres_db() as pg:
        ended(pg, "U0GUS")
        fac, gus = [
            row
            for row in claim_due(pg.unit_of_work(), NOW, limit=50, claim_for=CLAIM)
            if row.channel in ("U0FAC", "U0GUS")
        ]
        with pg.unit_of_work() as first:  # one replica records its copy failed, not yet committed
            gone = Unreachable(fac.id, fac.attempt, fac.workspace_id, fac.key, fac.channel or "", fac.payload)
            assert fail_unreachable_in(first, gone)
            other = Unreachable(
                gus.id, gus.attempt, gus.workspace_id, gus.key, gus.channel or "", gus.payload
            )
            raced(pg, first, lambda: fail_unreachable(pg.unit_of_work(), other, "user_disabled", NOW, ADMINS))
        assert reports(pg) == [
            ("U0FAC", OutboxStatus.FAILED),
            ("U0GUS", OutboxStatus.FAILED),
            ("U0ADM", OutboxStatus.PENDING),
        ]


def fail_unreachable_in(uow: UnitOfWork, row: Unreachable) -> bool:
    """fail_unreachable's work in a transaction the caller holds open."""
    if not settle_failed(uow.session, row.id, row.attempt, "user_disabled"):
        return False
    carried_on(uow.session, [row], NOW, ADMINS)
    return True
