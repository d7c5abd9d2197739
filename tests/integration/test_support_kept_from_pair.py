"""A request for support about a partnership is kept, as the pair's alerts are, from everyone ever paired
with either partner: never told to a facilitator or admin who was once the other partner's partner, on
SQLite and PostgreSQL, however it is asked (a check-in, the support form) and when it is passed on."""

from __future__ import annotations

import json
from datetime import timedelta
from itertools import count

from sqlalchemy import select

from bot.gateway.record import Recorder
from bot.messages import render
from circles.domain.checkins import CheckInAnswer
from circles.domain.vocabulary import Role
from circles.persistence.db import Database
from circles.persistence.models import OutboxMessage
from circles.services.checkins.answers import answer
from circles.services.escalations.open import open_escalations
from circles.services.outbox.queue import claim_due
from circles.services.support.form import SupportAbout, send_support
from tests import escalation_world as w
from tests import factories

NOW = factories.NOW
TRIGGERS = count()
WORDS = "My coach cancels every session"
ADMINS = ["U0ADM", "U0FAY"]  # Fay runs Circles here too


def seed(db: Database, *facilitators: str) -> tuple[int, int]:
    """Ada coaches Lee in a cohort run by these facilitators; Lee has a check-in due. Last year, in another
    cohort, Fay was Ada's learner (never Lee's partner). (pair, check-in)."""
    with db.unit_of_work() as uow:
        ws = factories.workspace(uow.session)
        last = factories.cohort(uow.session, ws, "last-year", "Last year")
        factories.pair(
            uow.session,
            factories.member(uow.session, last, "U0ADA", Role.COACH),
            factories.member(uow.session, last, "U0FAY"),
        )
        co = factories.cohort(uow.session, ws)
        for user in facilitators:
            factories.facilitator(uow.session, co, user, flush=False)
        ada = factories.member(uow.session, co, "U0ADA", Role.COACH, flush=False)
        lee = factories.member(uow.session, co, "U0LEE", flush=False)
        pair = factories.pair(uow.session, ada, lee)
        checkin = factories.checkin(pair, lee.id, NOW)
        uow.session.add(checkin)
        uow.session.flush()
        ids = pair.id, checkin.id
        uow.commit()
        return ids


def told(db: Database) -> list[tuple[str | None, str]]:
    """Who each recorded message is for, and all it shows them."""
    with db.unit_of_work() as uow:
        shown = []
        for row in uow.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)):
            message = render(row.payload["template"], row.payload["args"])
            shown.append((row.channel, message.text + json.dumps(message.block_dicts())))
        return shown


def channels(db: Database) -> list[str | None]:
    """Who each recorded message is for (a failed one keeps no words)."""
    with db.unit_of_work() as uow:
        return list(uow.session.scalars(select(OutboxMessage.channel).order_by(OutboxMessage.id)))


def ask_in_checkin(db: Database, checkin: int) -> None:
    """Lee rates the partnership 1, shares a note and asks for support."""
    given = CheckInAnswer(1, met=False, note=WORDS, share_note=True, wants_support=True)
    answer(db.unit_of_work(), "T0001", "U0LEE", checkin, given, NOW, cipher=None, admins=ADMINS)


def ask_in_form(db: Database, about: SupportAbout) -> None:
    trigger = f"1.{next(TRIGGERS)}.abc"
    send_support(db.unit_of_work(), "T0001", "U0LEE", about, WORDS, NOW, request_key=trigger, admins=ADMINS)


def test_the_pairs_alert_and_a_check_in_asking_for_support_reach_the_same_facilitator(db: Database) -> None:
    pair, checkin = seed(db, "U0FAY", "U0GUS")
    with db.unit_of_work() as uow:
        open_escalations(uow.session, [w.struggling(pair)], NOW, decrypt=w.unseal)
        uow.commit()
    ask_in_checkin(db, checkin)
    assert [channel for channel, _ in told(db)] == ["U0GUS", "U0GUS"]
    assert WORDS in told(db)[1][1]  # Gus has Lee's shared note; Fay learns nothing of it


def test_a_support_form_about_the_partnership_never_reaches_the_partners_former_partner(db: Database) -> None:
    pair, _ = seed(db, "U0FAY", "U0GUS")
    ask_in_form(db, SupportAbout(partnership_id=pair))
    [(channel, shown)] = told(db)
    assert channel == "U0GUS"
    assert WORDS in shown


def test_when_only_the_partners_former_partner_facilitates_the_other_admins_hear_instead(
    db: Database,
) -> None:
    pair, checkin = seed(db, "U0FAY")
    ask_in_checkin(db, checkin)
    ask_in_form(db, SupportAbout(partnership_id=pair))
    assert [channel for channel, _ in told(db)] == ["U0ADM", "U0ADM"]  # never Fay, though she is an admin


def test_a_request_about_no_partnership_still_reaches_every_facilitator(db: Database) -> None:
    seed(db, "U0FAY", "U0GUS")
    ask_in_form(db, SupportAbout(cohort_slug="pgy1-spring"))
    assert [channel for channel, _ in told(db)] == ["U0FAY", "U0GUS"]  # Fay was never Lee's partner


def test_a_request_passed_on_when_its_facilitator_has_gone_skips_the_partners_former_partner(
    db: Database,
) -> None:
    pair, _ = seed(db, "U0FAY", "U0GUS")
    ask_in_form(db, SupportAbout(partnership_id=pair))
    recorder = Recorder(db, ADMINS)
    for row in claim_due(db.unit_of_work(), NOW, limit=50, claim_for=timedelta(minutes=5)):
        recorder.failed(row, "user_disabled", NOW)  # Gus has left the workspace
    assert channels(db) == ["U0GUS", "U0ADM", "U0LEE"]  # the admins have it, and Lee is told so
