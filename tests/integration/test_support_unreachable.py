"""A support request whose facilitator has left the workspace still reaches someone who can act, once."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from itertools import count

from sqlalchemy import select

from bot.gateway.record import Recorder
from bot.messages import render
from circles.domain.vocabulary import OutboxStatus, Role
from circles.persistence.db import Database
from circles.persistence.models import Cohort, OutboxMessage
from circles.services.outbox.queue import claim_due
from circles.services.people.membership import leave
from circles.services.support.request import request_support
from tests import factories

NOW = factories.NOW
TRIGGERS = count()
ADMINS = ["U0ADM", "U0ADA", "U0LEE"]  # Ada (Lee's coach) and Lee are admins too: neither is told


def seed(db: Database, *facilitators: str) -> None:
    """Lee learns in a cohort run by these facilitators; Ada is Lee's coach."""
    with db.unit_of_work() as uow:
        ws = factories.workspace(uow.session)
        co = factories.cohort(uow.session, ws)
        for user in facilitators:
            factories.facilitator(uow.session, co, user, flush=False)
        factories.member(uow.session, co, "U0ADA", Role.COACH, flush=False)
        factories.member(uow.session, co, "U0LEE", flush=False)
        factories.partnership(uow.session, "U0ADA", "U0LEE")
        uow.commit()


def ask(db: Database, message: str = "Could we talk about my rota?") -> None:
    request_support(db.unit_of_work(), "T0001", "U0LEE", message, NOW, request_key=f"1.{next(TRIGGERS)}.a")


def send_failing(db: Database, at: datetime, failures: dict[str, str], admins: list[str] = ADMINS) -> None:
    """A dispatch pass in which Slack refuses these people's DMs with these errors; the rest are sent."""
    recorder = Recorder(db, admins)
    for row in claim_due(db.unit_of_work(), at, limit=50, claim_for=timedelta(minutes=5)):
        if row.channel in failures:
            recorder.failed(row, failures[row.channel], at)
        else:
            recorder.sent(row, {"ok": True, "channel": f"D{row.channel}", "ts": "1.1"}, at)


def rows(db: Database) -> list[OutboxMessage]:
    with db.unit_of_work() as uow:
        return list(uow.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def test_a_request_its_only_facilitator_cannot_receive_goes_to_the_admins_once(db: Database) -> None:
    seed(db, "U0GONE")
    ask(db)
    [asked] = rows(db)
    send_failing(db, NOW, {"U0GONE": "user_disabled"})
    [gone, admin, _told] = rows(db)  # the member's notice: tests/integration/test_support_rerouted_notice.py
    assert (gone.status, admin.channel, admin.status) == (OutboxStatus.FAILED, "U0ADM", OutboxStatus.PENDING)
    assert admin.idempotency_key == asked.idempotency_key.replace("U0GONE", "U0ADM")
    # It carries what the request carried, nothing more: who asked, in which cohort, their words.
    assert admin.payload == asked.payload
    message = render("support_request", admin.payload["args"])
    assert "Could we talk about my rota?" in json.dumps(message.block_dicts())
    send_failing(db, NOW + timedelta(minutes=1), {"U0GONE": "user_disabled"})
    assert [(row.channel, row.status) for row in rows(db)] == [
        ("U0GONE", OutboxStatus.FAILED),
        ("U0ADM", OutboxStatus.SENT),
        ("U0LEE", OutboxStatus.SENT),
    ]


def test_while_another_facilitator_has_it_nobody_else_is_asked(db: Database) -> None:
    seed(db, "U0GONE", "U0GUS")
    ask(db)
    send_failing(db, NOW, {"U0GONE": "user_not_found"})
    assert [row.channel for row in rows(db)] == ["U0GONE", "U0GUS"]


def test_when_every_facilitator_is_gone_the_admins_hear_once(db: Database) -> None:
    seed(db, "U0GONE", "U0LEFT")
    ask(db)
    send_failing(db, NOW, {"U0GONE": "user_disabled", "U0LEFT": "user_not_found"})
    assert [row.channel for row in rows(db)] == ["U0GONE", "U0LEFT", "U0ADM", "U0LEE"]


def test_a_facilitator_added_since_is_asked_rather_than_the_admins(db: Database) -> None:
    seed(db, "U0GONE")
    ask(db)
    with db.unit_of_work() as uow:
        cohort = uow.session.scalars(select(Cohort)).one()
        factories.facilitator(uow.session, cohort, "U0NEW")
        uow.commit()
    send_failing(db, NOW, {"U0GONE": "user_disabled"})
    assert [row.channel for row in rows(db)] == ["U0GONE", "U0NEW", "U0LEE"]


def test_a_failure_that_is_not_about_the_person_asks_nobody_else(db: Database) -> None:
    seed(db, "U0GONE")
    ask(db)
    send_failing(db, NOW, {"U0GONE": "missing_scope"})
    assert [row.channel for row in rows(db)] == ["U0GONE"]


def test_a_request_from_a_member_who_left_before_it_failed_goes_nowhere_else(db: Database) -> None:
    seed(db, "U0GONE")
    ask(db)
    leave(db.unit_of_work(), "T0001", None, "U0LEE", NOW)  # nobody is waiting for an answer now
    send_failing(db, NOW, {"U0GONE": "user_disabled"})
    assert [row.channel for row in rows(db) if row.payload.get("template", "").startswith("support")] == [
        "U0GONE"
    ]
    assert "U0LEE" not in [row.channel for row in rows(db)]


def test_a_request_no_facilitator_may_hear_is_not_passed_on_again_while_another_admin_has_it(
    db: Database,
) -> None:
    seed(db, "U0ADA")  # Ada runs the cohort and coaches Lee: the admins had it from the start
    admins = [*ADMINS, "U0ADB"]
    request_support(
        db.unit_of_work(), "T0001", "U0LEE", "About my coach", NOW, request_key="1.x.a", admins=admins
    )
    send_failing(db, NOW, {"U0ADB": "user_disabled"}, admins)
    # Lee was told the people who run Circles have it, and one of them does: nobody new, no notice.
    assert [(row.channel, row.status) for row in rows(db)] == [
        ("U0ADB", OutboxStatus.FAILED),
        ("U0ADM", OutboxStatus.SENT),
    ]
