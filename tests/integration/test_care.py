"""Forms show their cohort's hint; a message typed to the app gets one answer a minute, and no trace of it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from circles.domain.care import DEFAULT_FREE_TEXT_HINT, DEFAULT_WELLBEING_RESOURCES
from circles.domain.vocabulary import MemberStatus, PartnershipStatus, Role
from circles.errors import PartnershipNotYours, PartnershipOver
from circles.persistence.db import Database
from circles.persistence.models import Cohort, Member, OutboxMessage, Partnership, Workspace
from circles.services.checkins.opening import open_checkin
from circles.services.partnerships.changes import end_form_hint
from circles.services.people.profiles import profile_form
from circles.services.support.care import DIRECT_ANSWER_TEMPLATE, answer_typed_message
from tests import factories
from tests.factories import NOW

OWN = "No patient names or details here, please."


def seed(db: Database, *, hint: str | None = OWN, resources: str | None = None) -> int:
    """Ada coaches Lee in PGY-1, which has its own words; returns the partnership id."""
    with db.unit_of_work() as uow:
        co = factories.cohort(uow.session, factories.workspace(uow.session))
        co.free_text_hint, co.wellbeing_resources = hint, resources
        factories.facilitator(uow.session, co, "U0FAY")
        factories.member(uow.session, co, "U0ADA", Role.COACH)
        factories.member(uow.session, co, "U0LEE")
        pair_id = factories.partnership(uow.session, "U0ADA", "U0LEE").id
        uow.commit()
        return pair_id


def second_cohort(db: Database, user_id: str, hint: str | None) -> None:
    with db.unit_of_work() as uow:
        ws = uow.session.scalars(select(Workspace)).one()
        co = factories.cohort(uow.session, ws, f"faculty-{user_id.lower()}", "Faculty peers")
        co.free_text_hint = hint
        factories.member(uow.session, co, user_id, Role.PEER)
        uow.commit()


def outbox(db: Database) -> list[OutboxMessage]:
    with db.unit_of_work() as uow:
        return list(uow.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def test_the_checkin_form_shows_the_hint_of_the_partnerships_cohort(db: Database) -> None:
    seed(db)
    [checkin] = open_checkin(db.unit_of_work(), "T0001", "U0LEE", NOW)
    assert checkin.free_text_hint == OWN


def test_the_ending_forms_hint_is_read_as_the_button_reads_it_in_a_read_only_unit(db: Database) -> None:
    # The End button reads the hint through db.reading(): on PostgreSQL a read-only transaction, where
    # a row lock is refused.
    pair = seed(db)
    assert end_form_hint(db.reading(), "T0001", "U0LEE", pair) == OWN
    with pytest.raises(PartnershipNotYours):
        end_form_hint(db.reading(), "T0001", "U0LEE", 0)


def test_the_ending_form_shows_the_cohorts_hint_to_partners_only_and_refuses_anyone_else(
    db: Database,
) -> None:
    pair = seed(db)
    assert end_form_hint(db.unit_of_work(), "T0001", "U0ADA", pair) == OWN
    assert end_form_hint(db.unit_of_work(), "T0001", "U0LEE", pair) == OWN
    for team, user, partnership in (
        ("T0001", "U0FAY", pair),
        ("T0001", "U0LEE", pair + 99),
        ("T0002", "U0LEE", pair),
    ):
        with pytest.raises(PartnershipNotYours):
            end_form_hint(db.unit_of_work(), team, user, partnership)
    with db.unit_of_work() as uow:
        uow.session.get_one(Partnership, pair).status = PartnershipStatus.ENDED
        uow.commit()
    with pytest.raises(PartnershipOver):
        end_form_hint(db.unit_of_work(), "T0001", "U0LEE", pair)


def test_the_profile_form_uses_the_only_cohorts_hint_or_the_default_when_cohorts_differ(db: Database) -> None:
    seed(db)
    assert profile_form(db.unit_of_work(), "T0001", "U0LEE").free_text_hint == OWN
    second_cohort(db, "U0LEE", OWN)  # two cohorts that say the same
    assert profile_form(db.unit_of_work(), "T0001", "U0LEE").free_text_hint == OWN
    second_cohort(db, "U0ADA", None)  # Ada's second cohort keeps the default
    assert profile_form(db.unit_of_work(), "T0001", "U0ADA").free_text_hint == DEFAULT_FREE_TEXT_HINT
    assert profile_form(db.unit_of_work(), "T0001", "U0NEW").free_text_hint == DEFAULT_FREE_TEXT_HINT


def test_a_typed_message_gets_one_answer_a_minute_naming_the_cohort_and_its_resources(db: Database) -> None:
    seed(db, resources="Call the wellbeing team on extension 4000.")
    flood = [
        answer_typed_message(db.unit_of_work(), "T0001", "U0LEE", NOW + timedelta(seconds=s))
        for s in range(50)
    ]
    assert flood == [True] + [False] * 49
    assert answer_typed_message(db.unit_of_work(), "T0001", "U0LEE", NOW + timedelta(minutes=1)) is True
    first, later = outbox(db)
    assert (first.channel, first.method, first.payload["template"]) == (
        "U0LEE",
        "chat.postMessage",
        DIRECT_ANSWER_TEMPLATE,
    )
    assert first.idempotency_key != later.idempotency_key
    args: dict[str, Any] = first.payload["args"]
    assert args["cohorts"] == [
        {
            "slug": "pgy1-spring",
            "name": "PGY-1 spring",
            "resources": "Call the wellbeing team on extension 4000.",
            "unheard": False,  # Fay facilitates it
        }
    ]
    assert args["resources"] == DEFAULT_WELLBEING_RESOURCES
    assert (args["runs"], args["more_runs"]) == ([], 0)  # Lee runs no cohort
    assert not first.payload.get("private")  # nothing private inside: only the cohort's own words


def test_someone_in_no_cohort_is_answered_too_even_before_the_workspace_is_known(db: Database) -> None:
    assert answer_typed_message(db.unit_of_work(), "T0NEW", "U0STRANGER", NOW) is True
    [answer] = outbox(db)
    nothing_to_name = {"cohorts": [], "resources": DEFAULT_WELLBEING_RESOURCES, "runs": [], "more_runs": 0}
    assert answer.payload["args"] == nothing_to_name
    seed(db)
    with db.unit_of_work() as uow:  # someone who left, or whose cohort is archived, has no cohort to name
        lee = uow.session.scalars(select(Cohort)).one()
        lee.archived_at = NOW
        uow.commit()
    assert answer_typed_message(db.unit_of_work(), "T0001", "U0LEE", NOW) is True
    assert outbox(db)[-1].payload["args"]["cohorts"] == []


def test_a_paused_member_is_still_pointed_to_their_cohort(db: Database) -> None:
    seed(db, hint=None)
    with db.unit_of_work() as uow:
        uow.session.scalars(
            select(Member).where(Member.slack_user_id == "U0LEE")
        ).one().status = MemberStatus.PAUSED
        uow.commit()
    answer_typed_message(db.unit_of_work(), "T0001", "U0LEE", NOW)
    [answer] = outbox(db)
    assert [c["slug"] for c in answer.payload["args"]["cohorts"]] == ["pgy1-spring"]
    assert answer.payload["args"]["cohorts"][0]["resources"] == DEFAULT_WELLBEING_RESOURCES
