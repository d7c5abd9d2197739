"""`/circles support` on SQLite and PostgreSQL: one private message per facilitator, and nobody else."""

from __future__ import annotations

from itertools import count

import pytest
from sqlalchemy import select

from bot.messages import render
from circles.domain.vocabulary import MemberStatus, Role
from circles.errors import (
    InvalidSupportMessage,
    NoFacilitators,
    NotAMember,
    SupportNeedsACohort,
    SupportWhichCohort,
)
from circles.persistence.db import Database
from circles.persistence.models import Member, OutboxMessage
from circles.services.support.request import SUPPORT_MESSAGE_MAX, SupportSent, request_support
from tests import factories

NOW = factories.NOW
TRIGGERS = count()


def seed(db: Database, *, second_cohort: bool = False) -> None:
    """Lee learns in a cohort run by Fay and Gus; Ada, Lee's coach, and the channel hear nothing."""
    with db.unit_of_work() as uow:
        ws = factories.workspace(uow.session)
        co = factories.cohort(uow.session, ws)
        factories.facilitator(uow.session, co, "U0FAY")
        factories.facilitator(uow.session, co, "U0GUS")
        factories.member(uow.session, co, "U0ADA", Role.COACH)
        factories.member(uow.session, co, "U0LEE")
        factories.partnership(uow.session, "U0ADA", "U0LEE")
        if second_cohort:
            nurses = factories.cohort(uow.session, ws, "nurses", "Nurse leaders")
            factories.facilitator(uow.session, nurses, "U0NIA")
            factories.member(uow.session, nurses, "U0LEE", Role.PEER)
        uow.commit()


def outbox(db: Database) -> list[OutboxMessage]:
    with db.unit_of_work() as uow:
        return list(uow.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def trigger() -> str:
    """A new request's trigger_id, as Slack gives each command its own."""
    return f"1.{next(TRIGGERS)}.abc"


def ask(db: Database, message: str | None, user: str = "U0LEE", cohort: str | None = None) -> SupportSent:
    return request_support(
        db.unit_of_work(), "T0001", user, message, NOW, cohort=cohort, request_key=trigger()
    )


def test_a_request_reaches_each_facilitator_privately_and_nobody_else(db: Database) -> None:
    seed(db)
    sent = ask(db, "Could we talk about my rota and my coach?")
    assert (sent.cohort_name, sent.facilitators) == ("PGY-1 spring", ["U0FAY", "U0GUS"])
    recorded = outbox(db)
    assert [m.channel for m in recorded] == ["U0FAY", "U0GUS"]  # no partner, no member, no channel
    assert {m.payload["template"] for m in recorded} == {"support_request"}
    assert recorded[0].payload["args"] == {
        "cohort_name": "PGY-1 spring",
        "member_user_id": "U0LEE",
        "message": "Could we talk about my rota and my coach?",
        "partner_user_id": None,
    }
    assert all(m.due_at == NOW for m in recorded)  # at once, not at the next planning pass
    text = render(recorded[0].payload["template"], recorded[0].payload["args"]).text
    assert "PGY-1 spring" in text


def test_asking_twice_sends_twice_and_a_request_without_words_is_fine(db: Database) -> None:
    seed(db)
    ask(db, None)
    request_support(db.unit_of_work(), "T0001", "U0LEE", "still here", NOW, request_key=trigger())
    assert len(outbox(db)) == 4
    assert outbox(db)[0].payload["args"]["message"] is None


def test_the_same_request_taken_in_twice_reaches_each_facilitator_once(db: Database) -> None:
    seed(db)
    for moment in (NOW, NOW.replace(minute=1)):  # the same request, whenever it is taken in again
        request_support(db.unit_of_work(), "T0001", "U0LEE", "help", moment, request_key="1.same.abc")
    assert [m.channel for m in outbox(db)] == ["U0FAY", "U0GUS"]


def test_someone_in_several_cohorts_names_one_or_is_asked_which(db: Database) -> None:
    seed(db, second_cohort=True)
    with pytest.raises(SupportWhichCohort) as which:
        ask(db, "help please")
    assert which.value.slugs == ["nurses", "pgy1-spring"]
    assert outbox(db) == []
    sent = ask(db, "nurses help please")
    assert sent.facilitators == ["U0NIA"]
    [message] = outbox(db)
    assert (message.channel, message.payload["args"]["message"]) == ("U0NIA", "help please")
    ask(db, "help please", cohort="pgy1-spring")
    assert [m.channel for m in outbox(db)] == ["U0NIA", "U0FAY", "U0GUS"]


def test_naming_a_cohort_one_is_not_in_is_refused(db: Database) -> None:
    seed(db)
    with pytest.raises(NotAMember):
        ask(db, "help", cohort="nurses")


def test_people_in_no_cohort_or_who_left_are_told_kindly_and_nothing_is_sent(db: Database) -> None:
    seed(db)
    with pytest.raises(SupportNeedsACohort):
        ask(db, "hello", user="U0STRANGER")
    with pytest.raises(SupportNeedsACohort):
        request_support(db.unit_of_work(), "T0UNKNOWN", "U0LEE", "hello", NOW, request_key=trigger())
    with db.unit_of_work() as uow:
        for member in uow.session.scalars(select(Member)):
            member.status = MemberStatus.LEFT
        uow.commit()
    with pytest.raises(SupportNeedsACohort):
        ask(db, "hello")
    assert outbox(db) == []


def test_a_cohort_without_facilitators_says_so_and_records_nothing(db: Database) -> None:
    with db.unit_of_work() as uow:
        co = factories.cohort(uow.session, factories.workspace(uow.session))
        factories.member(uow.session, co, "U0LEE")
        uow.commit()
    with pytest.raises(NoFacilitators):
        ask(db, "anyone?")
    assert outbox(db) == []


def test_an_overlong_message_is_refused_whole(db: Database) -> None:
    seed(db)
    with pytest.raises(InvalidSupportMessage):
        ask(db, "x" * (SUPPORT_MESSAGE_MAX + 1))
    assert outbox(db) == []


def test_a_facilitator_who_is_the_members_coach_never_hears_of_their_request(db: Database) -> None:
    with db.unit_of_work() as uow:  # Ada co-runs the cohort and coaches Lee: the request may be about her
        co = factories.cohort(uow.session, factories.workspace(uow.session))
        factories.facilitator(uow.session, co, "U0ADA")
        factories.facilitator(uow.session, co, "U0FAY")
        factories.member(uow.session, co, "U0ADA", Role.COACH)
        factories.member(uow.session, co, "U0LEE")
        factories.partnership(uow.session, "U0ADA", "U0LEE")
        uow.commit()
    sent = ask(db, "It is about my coach")
    assert sent.facilitators == ["U0FAY"]
    assert [m.channel for m in outbox(db)] == ["U0FAY"]


def test_when_the_only_facilitator_is_the_members_coach_nothing_reaches_her(db: Database) -> None:
    with db.unit_of_work() as uow:
        co = factories.cohort(uow.session, factories.workspace(uow.session))
        factories.facilitator(uow.session, co, "U0ADA")
        factories.member(uow.session, co, "U0ADA", Role.COACH)
        factories.member(uow.session, co, "U0LEE")
        factories.partnership(uow.session, "U0ADA", "U0LEE")
        uow.commit()
    with pytest.raises(NoFacilitators):
        ask(db, "It is about my coach")
    assert outbox(db) == []


@pytest.mark.parametrize("typed", ["ｐｇｙ１ I need help", "PGY1\u200b I need help"])
def test_in_two_cohorts_a_first_word_naming_one_however_typed_picks_it(db: Database, typed: str) -> None:
    with db.unit_of_work() as uow:
        ws = factories.workspace(uow.session)
        for slug in ("pgy1", "pgy2"):
            co = factories.cohort(uow.session, ws, slug, slug.upper())
            factories.facilitator(uow.session, co, "U0FAC")
            factories.member(uow.session, co, "U0ANN")
        uow.commit()

    sent = request_support(db.unit_of_work(), "T0001", "U0ANN", typed, NOW, request_key="k1")

    assert sent.cohort_name == "PGY1"  # as `/circles status ｐｇｙ１` finds it, not "Which cohort?"
