"""The answer to what someone types, for the people who are not one learner with one facilitator: a
facilitator, someone whose cohort has nobody to hear them yet, someone in two cohorts of which one has; and
erasure, after which no row tells when they wrote. On SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select, update

from bot.messages import render
from circles.domain.vocabulary import MemberStatus, OutboxStatus, Role
from circles.errors import NoFacilitators
from circles.persistence.db import Database
from circles.persistence.models import Member, OutboxMessage, Workspace
from circles.services.people.erasure import erase_personal_data
from circles.services.support.care import answer_typed_message
from circles.services.support.form import SupportAbout, send_support
from tests import factories
from tests.factories import NOW

NO_COHORT = "You are not in a Circles cohort here yet"
BUTTON = "Message my facilitators"


def cohort_with(
    db: Database, slug: str, name: str, *, facilitator: str | None, members: tuple[str, ...]
) -> None:
    with db.unit_of_work() as uow:
        ws = uow.session.scalars(select(Workspace).where(Workspace.team_id == "T0001")).one_or_none()
        co = factories.cohort(uow.session, ws or factories.workspace(uow.session), slug, name)
        if facilitator:
            factories.facilitator(uow.session, co, facilitator)
        for user in members:
            factories.member(uow.session, co, user, Role.LEARNER)
        uow.commit()


def shown_to(db: Database, user_id: str, admins: tuple[str, ...] = ()) -> tuple[str, list[str]]:
    """What the person's answer shows, and the values of its buttons."""
    assert answer_typed_message(db.unit_of_work(), "T0001", user_id, NOW, admins)
    with db.unit_of_work() as uow:
        row = uow.session.scalars(select(OutboxMessage).where(OutboxMessage.channel == user_id)).one()
    blocks: list[dict[str, Any]] = render(row.payload["template"], row.payload["args"]).block_dicts()
    values = [e.get("value", "") for b in blocks if b["type"] == "actions" for e in b["elements"]]
    return json.dumps(blocks, ensure_ascii=False), values


def test_a_facilitator_who_types_is_reminded_of_the_cohort_they_run_not_told_to_join_one(
    db: Database,
) -> None:
    cohort_with(db, "pgy1", "PGY-1", facilitator="U0FAY", members=("U0LEE",))
    shown, buttons = shown_to(db, "U0FAY")
    assert NO_COHORT not in shown
    assert "You facilitate *PGY-1*" in shown
    assert "/circles health pgy1" in shown
    assert buttons == []


def test_a_facilitator_of_seven_cohorts_is_reminded_of_five_by_name_and_the_rest_by_number(
    db: Database,
) -> None:
    for n in range(7):
        cohort_with(db, f"c{n}", f"Cohort {n}", facilitator="U0FAY", members=())
    shown, _ = shown_to(db, "U0FAY")
    assert "You facilitate *Cohort 0, Cohort 1, Cohort 2, Cohort 3, Cohort 4* and 2 more" in shown
    assert "Cohort 5" not in shown
    assert NO_COHORT not in shown


def test_a_member_whose_cohort_has_no_facilitator_is_told_so_and_offered_no_form_it_would_refuse(
    db: Database,
) -> None:
    cohort_with(db, "pgy1", "PGY-1", facilitator=None, members=("U0LEE",))
    shown, buttons = shown_to(db, "U0LEE")
    assert BUTTON not in shown
    assert buttons == []
    assert "Nobody can receive a message through Circles for *PGY-1* yet" in shown
    assert "whoever runs your programme" in shown
    with pytest.raises(NoFacilitators):  # what the button would have led to
        send_support(db.unit_of_work(), "T0001", "U0LEE", SupportAbout("pgy1"), "help", NOW, request_key="t")


def test_with_admins_to_hear_them_the_member_of_a_cohort_without_facilitators_is_offered_the_form(
    db: Database,
) -> None:
    cohort_with(db, "pgy1", "PGY-1", facilitator=None, members=("U0LEE",))
    shown, buttons = shown_to(db, "U0LEE", admins=("U0ADMIN",))
    assert BUTTON in shown
    assert buttons == ["c:pgy1"]
    assert "Nobody can receive" not in shown


def test_in_two_cohorts_of_which_one_has_nobody_the_form_is_for_the_one_that_has(db: Database) -> None:
    cohort_with(db, "aaa", "Alone", facilitator=None, members=("U0LEE",))
    cohort_with(db, "pgy1", "PGY-1", facilitator="U0FAY", members=("U0LEE",))
    shown, buttons = shown_to(db, "U0LEE")
    assert buttons == ["c:pgy1"]
    assert "facilitators of *PGY-1* privately" in shown
    assert "Nobody can receive a message through Circles for *Alone* yet: it has no facilitator" in shown


def test_a_member_whose_only_facilitator_coaches_them_is_not_promised_that_facilitator(db: Database) -> None:
    with db.unit_of_work() as uow:
        co = factories.cohort(uow.session, factories.workspace(uow.session), "pgy1", "PGY-1")
        factories.facilitator(uow.session, co, "U0ADA")
        factories.pair(
            uow.session,
            factories.member(uow.session, co, "U0ADA", Role.COACH),
            factories.member(uow.session, co, "U0LEE", Role.LEARNER),
        )
        uow.commit()
    shown, buttons = shown_to(db, "U0LEE")
    assert buttons == []
    assert "Nobody can receive a message through Circles for *PGY-1* yet" in shown


def test_erasure_leaves_no_row_telling_when_the_person_wrote_to_the_app(db: Database) -> None:
    cohort_with(db, "pgy1", "PGY-1", facilitator="U0FAY", members=("U0LEE", "U0ADA"))
    with db.unit_of_work() as uow:
        factories.workspace(uow.session, "T0002")
        uow.commit()
    for hours in (0, 3, 27):  # three nights Lee wrote to the app; the first two answers went
        answer_typed_message(db.unit_of_work(), "T0001", "U0LEE", NOW + timedelta(hours=hours))
        if hours == 3:
            with db.unit_of_work() as uow:
                uow.session.execute(update(OutboxMessage).values(status=OutboxStatus.SENT))
                uow.commit()
    answer_typed_message(db.unit_of_work(), "T0001", "U0ADA", NOW)  # someone else
    answer_typed_message(db.unit_of_work(), "T0002", "U0LEE", NOW)  # another workspace's U0LEE
    with db.unit_of_work() as uow:
        uow.session.execute(
            update(Member)
            .where(Member.slack_user_id == "U0LEE")
            .values(status=MemberStatus.LEFT, left_at=NOW)
        )
        uow.commit()
    assert erase_personal_data(db.unit_of_work(), "T0001", "U0LEE", NOW)
    with db.unit_of_work() as uow:
        kept = uow.session.execute(select(Workspace.team_id, OutboxMessage.channel).join(Workspace)).all()
    assert sorted(kept) == [("T0001", "U0ADA"), ("T0002", "U0LEE")]
