"""When no facilitator may hear a member's request (each is, or was, paired with them), the people who run
Circles here hear it instead, on SQLite and PostgreSQL: never the partner, and the member is named nobody."""

from __future__ import annotations

import json
from itertools import count

import pytest
from sqlalchemy import delete, select

from bot.views.errors import friendly_message
from bot.views.message import Message
from bot.views.support import support_outcome, support_sent_message
from bot.views.support_form import sent_modal
from circles.domain.checkins import CheckInAnswer
from circles.domain.vocabulary import Role
from circles.errors import NoFacilitators
from circles.persistence.db import Database
from circles.persistence.models import Facilitator, OutboxMessage, Workspace
from circles.services.checkins.answers import answer
from circles.services.support.form import SupportAbout, send_support
from circles.services.support.request import request_support
from tests import factories

NOW = factories.NOW
TRIGGERS = count()
ADMINS = ["U0ADM", "U0ADA", "U0LEE"]  # Ada (Lee's coach, the cohort's facilitator) and Lee are admins too
WORDS = "It is about my coach"


def seed(db: Database, *facilitators: str) -> tuple[int, int]:
    """Ada coaches Lee in a cohort run by these facilitators; Lee has a check-in due. (pair, check-in)."""
    with db.unit_of_work() as uow:
        co = factories.cohort(uow.session, factories.workspace(uow.session))
        for user in facilitators:
            factories.facilitator(uow.session, co, user, flush=False)
        factories.member(uow.session, co, "U0ADA", Role.COACH, flush=False)
        factories.member(uow.session, co, "U0LEE", flush=False)
        pair = factories.partnership(uow.session, "U0ADA", "U0LEE")
        checkin = factories.checkin(pair, pair.second_member_id, NOW)
        uow.session.add(checkin)
        uow.session.flush()
        ids = pair.id, checkin.id
        uow.commit()
        return ids


def told(db: Database) -> list[tuple[str | None, str | None]]:
    """Who each recorded message is for, and the member's words it carries."""
    with db.unit_of_work() as uow:
        rows = uow.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))
        return [(row.channel, row.payload["args"].get("message")) for row in rows]


def shown(message: Message) -> str:
    return message.text + json.dumps(message.block_dicts())


def trigger() -> str:
    return f"1.{next(TRIGGERS)}.abc"


def assert_told_it_went_to_the_admins(said: str) -> None:
    assert "the people who run Circles here" in said
    assert "no facilitator" not in said
    assert all(user not in said for user in ADMINS)  # naming nobody: not the admin, not the coach


def test_a_request_only_the_members_coach_could_hear_reaches_the_admins_instead(db: Database) -> None:
    seed(db, "U0ADA")
    sent = request_support(
        db.unit_of_work(), "T0001", "U0LEE", WORDS, NOW, request_key=trigger(), admins=ADMINS
    )
    assert told(db) == [("U0ADM", WORDS)]  # never Ada, though she facilitates and is an admin
    assert_told_it_went_to_the_admins(shown(support_sent_message(sent)))


def test_a_request_whose_facilitators_were_all_paired_with_the_member_reaches_the_admins(
    db: Database,
) -> None:
    seed(db, "U0ADA", "U0LEE")  # Lee co-runs the cohort too: nobody asks for support from themselves
    sent = request_support(
        db.unit_of_work(), "T0001", "U0LEE", WORDS, NOW, request_key=trigger(), admins=ADMINS
    )
    assert told(db) == [("U0ADM", WORDS)]
    assert_told_it_went_to_the_admins(shown(support_sent_message(sent)))


def test_the_support_form_about_the_partnership_reaches_the_admins_never_the_partner(db: Database) -> None:
    pair, _ = seed(db, "U0ADA")
    about = SupportAbout(partnership_id=pair)
    sent = send_support(
        db.unit_of_work(), "T0001", "U0LEE", about, WORDS, NOW, request_key=trigger(), admins=ADMINS
    )
    assert told(db) == [("U0ADM", WORDS)]
    assert_told_it_went_to_the_admins(json.dumps(sent_modal(sent).to_dict()))


def test_support_asked_in_a_checkin_reaches_the_admins_when_the_only_facilitator_is_the_partner(
    db: Database,
) -> None:
    _, checkin = seed(db, "U0ADA")
    given = CheckInAnswer(1, wants_support=True)
    answered = answer(db.unit_of_work(), "T0001", "U0LEE", checkin, given, NOW, cipher=None, admins=ADMINS)
    assert told(db) == [("U0ADM", None)]
    assert answered.support is not None
    assert_told_it_went_to_the_admins(support_outcome(answered.support))


def test_a_cohort_with_no_facilitator_yet_sends_the_request_to_the_admins(db: Database) -> None:
    seed(db)
    sent = request_support(
        db.unit_of_work(), "T0001", "U0LEE", "Anyone?", NOW, request_key=trigger(), admins=ADMINS
    )
    assert told(db) == [("U0ADM", "Anyone?")]
    said = shown(support_sent_message(sent))
    assert "the people who run Circles here" in said
    assert "U0ADM" not in said


def test_with_no_admin_who_may_hear_it_the_member_is_told_plainly_that_nobody_could_be_told(
    db: Database,
) -> None:
    _, checkin = seed(db, "U0ADA")
    with pytest.raises(NoFacilitators) as refused:
        request_support(
            db.unit_of_work(), "T0001", "U0LEE", WORDS, NOW, request_key=trigger(), admins=["U0ADA", "U0LEE"]
        )
    answered = answer(
        db.unit_of_work(), "T0001", "U0LEE", checkin, CheckInAnswer(1, wants_support=True), NOW, cipher=None
    )
    assert told(db) == []
    assert answered.support is not None
    for said in (friendly_message(refused.value), support_outcome(answered.support)):
        assert "nobody could be told" in said
        assert "contact whoever runs your programme directly" in said
        assert "no facilitator" not in said  # untrue: Ada runs it


def test_a_facilitator_paired_with_the_member_in_another_cohort_never_hears_their_request(
    db: Database,
) -> None:
    # Ada coaches Lee in one cohort and facilitates another with Bea, where Lee is a member too: what Lee
    # asks there may well be about Ada.
    seed(db, "U0FAC")
    with db.unit_of_work() as uow:
        other = factories.cohort(uow.session, uow.session.scalars(select(Workspace)).one(), "beta", "Beta")
        for user in ("U0ADA", "U0BEA"):
            factories.facilitator(uow.session, other, user, flush=False)
        factories.member(uow.session, other, "U0LEE", flush=False)
        uow.commit()
    sent = request_support(
        db.unit_of_work(), "T0001", "U0LEE", WORDS, NOW, cohort="beta", request_key=trigger(), admins=ADMINS
    )
    assert told(db) == [("U0BEA", WORDS)]
    assert "U0ADA" not in shown(support_sent_message(sent))
    with db.unit_of_work() as uow:  # with Bea gone too, the admins hear it: still never Ada
        uow.session.execute(delete(Facilitator).where(Facilitator.slack_user_id == "U0BEA"))
        uow.commit()
    request_support(
        db.unit_of_work(), "T0001", "U0LEE", WORDS, NOW, cohort="beta", request_key=trigger(), admins=ADMINS
    )
    assert [to for to, _ in told(db)] == ["U0BEA", "U0ADM"]
