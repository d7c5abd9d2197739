"""The support form on SQLite and PostgreSQL: any cohort, one cohort or one partnership, for partners only."""

from __future__ import annotations

from itertools import count
from typing import Any

import pytest
from sqlalchemy import select

from circles.domain.care import DEFAULT_FREE_TEXT_HINT
from circles.domain.vocabulary import PartnershipStatus, Role
from circles.errors import (
    InvalidSupportMessage,
    NoFacilitators,
    NotAMember,
    PartnershipInAnotherCohort,
    PartnershipNotYours,
    SupportNeedsACohort,
    SupportWhichCohort,
)
from circles.persistence.db import Database
from circles.persistence.models import Cohort, Facilitator, OutboxMessage, Partnership, Workspace
from circles.services.people.profiles import SlackPerson, refresh_from_slack
from circles.services.support.form import SupportAbout, send_support, support_form
from circles.services.support.request import SUPPORT_MESSAGE_MAX
from tests import factories
from tests.factories import NOW

TRIGGERS = count()


def trigger() -> str:
    """A new submission's trigger_id, as Slack gives each its own."""
    return f"1.{next(TRIGGERS)}.abc"


OWN = "No patient details here, please."


def seed(db: Database) -> dict[str, int]:
    """Ada coaches Lee and Kim in PGY-1 (run by Fay); Lee is also a peer of Sam in Faculty (run by Gus)."""
    with db.unit_of_work() as uow:
        session = uow.session
        ws = factories.workspace(session)
        pgy1 = factories.cohort(session, ws, "pgy1", "PGY-1")
        pgy1.free_text_hint = OWN
        faculty = factories.cohort(session, ws, "faculty", "Faculty")
        factories.facilitator(session, pgy1, "U0FAY")
        factories.facilitator(session, faculty, "U0GUS")
        people = {
            name: factories.member(session, cohort, user, role, flush=False)
            for name, cohort, user, role in (
                ("ada", pgy1, "U0ADA", Role.COACH),
                ("lee", pgy1, "U0LEE", Role.LEARNER),
                ("kim", pgy1, "U0KIM", Role.LEARNER),
                ("lee2", faculty, "U0LEE", Role.PEER),
                ("sam", faculty, "U0SAM", Role.PEER),
            )
        }
        factories.profile(session, ws, "U0ADA", flush=False).display_name = "Ada Diaz"
        pairs = {
            name: factories.pair(session, people[first], people[second], flush=False)
            for name, first, second in (
                ("ada_lee", "ada", "lee"),
                ("ada_kim", "ada", "kim"),
                ("lee_sam", "lee2", "sam"),
            )
        }
        uow.commit()
        return {name: row.id for name, row in pairs.items()}


def requests(db: Database) -> list[tuple[str, dict[str, Any]]]:
    with db.unit_of_work() as uow:
        rows = uow.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))
        return [
            (row.channel or "", row.payload["args"])
            for row in rows
            if row.payload["template"] == "support_request"
        ]


def test_with_nothing_chosen_the_form_offers_every_cohort_and_running_partnership(db: Database) -> None:
    pairs = seed(db)
    form = support_form(db.unit_of_work(), "T0001", "U0LEE", SupportAbout())
    assert [(c.slug, c.name) for c in form.cohorts] == [("faculty", "Faculty"), ("pgy1", "PGY-1")]
    assert [
        (p.partnership_id, p.partner_user_id, p.partner_name, p.cohort_slug) for p in form.partnerships
    ] == [
        (pairs["lee_sam"], "U0SAM", "U0SAM", "faculty"),  # no name from Slack: the user ID
        (pairs["ada_lee"], "U0ADA", "Ada Diaz", "pgy1"),
    ]
    assert form.free_text_hint == DEFAULT_FREE_TEXT_HINT  # the two cohorts word it differently
    only = support_form(db.unit_of_work(), "T0001", "U0KIM", SupportAbout())
    assert [c.slug for c in only.cohorts] == ["pgy1"]
    assert only.free_text_hint == OWN


def test_a_cohort_button_fixes_the_cohort_and_offers_its_partnerships(db: Database) -> None:
    pairs = seed(db)
    form = support_form(db.unit_of_work(), "T0001", "U0ADA", SupportAbout(cohort_slug="pgy1"))
    assert [c.slug for c in form.cohorts] == ["pgy1"]
    assert [p.partnership_id for p in form.partnerships] == [pairs["ada_lee"], pairs["ada_kim"]]
    assert form.free_text_hint == OWN
    with pytest.raises(NotAMember):
        support_form(db.unit_of_work(), "T0001", "U0KIM", SupportAbout(cohort_slug="faculty"))


def test_a_partnership_button_is_for_its_partners_only(db: Database) -> None:
    pairs = seed(db)
    about = SupportAbout(partnership_id=pairs["ada_kim"])
    form = support_form(db.unit_of_work(), "T0001", "U0KIM", about)
    assert [(p.partnership_id, p.partner_user_id) for p in form.partnerships] == [(pairs["ada_kim"], "U0ADA")]
    assert [c.slug for c in form.cohorts] == ["pgy1"]
    for team, user, partnership in (
        ("T0001", "U0LEE", pairs["ada_kim"]),  # someone else's partnership
        ("T0001", "U0FAY", pairs["ada_kim"]),  # the facilitator is no partner
        ("T0001", "U0KIM", 999_999),  # none at all
        ("T0002", "U0KIM", pairs["ada_kim"]),  # another workspace
    ):
        with pytest.raises((PartnershipNotYours, SupportNeedsACohort)):
            support_form(db.unit_of_work(), team, user, SupportAbout(partnership_id=partnership))
        with pytest.raises((PartnershipNotYours, SupportNeedsACohort)):
            send_support(
                db.unit_of_work(),
                team,
                user,
                SupportAbout(partnership_id=partnership),
                "Help",
                NOW,
                request_key=trigger(),
            )
    assert requests(db) == []


def test_support_about_a_partnership_reaches_its_cohorts_facilitators_naming_the_partner(
    db: Database,
) -> None:
    pairs = seed(db)
    with db.unit_of_work() as uow:  # an ended partnership can still be talked about
        uow.session.get_one(Partnership, pairs["ada_kim"]).status = PartnershipStatus.ENDED
        uow.commit()
    sent = send_support(
        db.unit_of_work(),
        "T0001",
        "U0KIM",
        SupportAbout(partnership_id=pairs["ada_kim"]),
        "  We never meet.  ",
        NOW,
        request_key=trigger(),
    )
    assert (sent.cohort_slug, sent.facilitators) == ("pgy1", ["U0FAY"])
    [(channel, args)] = requests(db)
    assert channel == "U0FAY"
    assert args == {
        "cohort_name": "PGY-1",
        "member_user_id": "U0KIM",
        "message": "We never meet.",
        "partner_user_id": "U0ADA",
    }


def test_support_about_a_cohort_or_the_only_one_reaches_its_facilitators_and_nobody_else(
    db: Database,
) -> None:
    seed(db)
    send_support(
        db.unit_of_work(),
        "T0001",
        "U0LEE",
        SupportAbout(cohort_slug="faculty"),
        None,
        NOW,
        request_key=trigger(),
    )
    send_support(
        db.unit_of_work(), "T0001", "U0KIM", SupportAbout(), "pgy1 rota trouble", NOW, request_key=trigger()
    )
    assert requests(db) == [
        (
            "U0GUS",
            {"cohort_name": "Faculty", "member_user_id": "U0LEE", "message": None, "partner_user_id": None},
        ),
        # the message is kept whole: a first word that is a slug is not taken as the cohort here
        (
            "U0FAY",
            {
                "cohort_name": "PGY-1",
                "member_user_id": "U0KIM",
                "message": "pgy1 rota trouble",
                "partner_user_id": None,
            },
        ),
    ]


def test_what_cannot_be_sent_is_refused_and_nothing_is_recorded(db: Database) -> None:
    pairs = seed(db)
    cases: list[tuple[str, SupportAbout, str | None, type[Exception]]] = [
        ("U0LEE", SupportAbout(), "Hello", SupportWhichCohort),
        ("U0LEE", SupportAbout("faculty", pairs["ada_lee"]), "Hello", PartnershipInAnotherCohort),
        ("U0KIM", SupportAbout("faculty"), "Hello", NotAMember),
        ("U0KIM", SupportAbout("pgy1"), "x" * (SUPPORT_MESSAGE_MAX + 1), InvalidSupportMessage),
        ("U0NOBODY", SupportAbout(), "Hello", SupportNeedsACohort),
    ]
    for user, about, message, refusal in cases:
        with pytest.raises(refusal):
            send_support(db.unit_of_work(), "T0001", user, about, message, NOW, request_key=trigger())
    with db.unit_of_work() as uow:
        faculty = uow.session.scalars(select(Cohort).where(Cohort.slug == "faculty")).one()
        for row in uow.session.scalars(select(Facilitator).where(Facilitator.cohort_id == faculty.id)):
            uow.session.delete(row)
        uow.commit()
    with pytest.raises(NoFacilitators):
        send_support(db.unit_of_work(), "T0001", "U0SAM", SupportAbout(), "Hello", NOW, request_key=trigger())
    assert requests(db) == []
    with db.unit_of_work() as uow:
        assert uow.session.scalars(select(Workspace.team_id)).all() == ["T0001"]


def test_the_same_submission_taken_in_twice_reaches_the_facilitators_once(db: Database) -> None:
    seed(db)
    for moment in (NOW, NOW.replace(minute=1)):  # the clock moved on; the submission is the same one
        about = SupportAbout(cohort_slug="faculty")
        send_support(db.unit_of_work(), "T0001", "U0LEE", about, "Hello", moment, request_key="1.same.abc")
    assert [channel for channel, _ in requests(db)] == ["U0GUS"]


def test_a_partners_name_from_slack_with_a_direction_override_is_offered_cleaned(db: Database) -> None:
    seed(db)
    slack = SlackPerson(timezone="Europe/London", display_name="\u202eAda\x00 Diaz\u202c")
    assert refresh_from_slack(db.unit_of_work(), "T0001", "U0ADA", slack=slack, now=NOW)
    form = support_form(db.unit_of_work(), "T0001", "U0KIM", SupportAbout())
    assert [p.partner_name for p in form.partnerships] == ["Ada Diaz"]
