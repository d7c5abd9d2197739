"""A learner whose request for a coach or mentor closes unanswered is told so, once, through the outbox:
when the coach leaves or stops guiding in the cohort, and when the coach answers while the learner is on a
pause. Not when the learner left, nor when the coach simply declines (that has its own answer)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from circles.domain.cohort_file import parse_cohort_file
from circles.domain.vocabulary import MemberStatus, Role
from circles.errors import NotAMember, RequestLapsed
from circles.messages import RequestClosedBecause, RequestClosedNotice, parse
from circles.persistence.db import Database
from circles.persistence.models import Member, OutboxMessage
from circles.services.cohorts.file_import import as_given, import_cohort
from circles.services.partnerships.requests import accept_request, decline_request
from circles.services.people.membership import leave, pause
from tests.databases import counted
from tests.factories import NOW
from tests.integration.test_directory import ask, seed

LATER = NOW + timedelta(days=1)


def told(db: Database) -> list[tuple[str, str, RequestClosedNotice]]:
    """Every request-closed notice recorded: to whom, under which key, and what it says."""
    with db.unit_of_work() as uow:
        rows = uow.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
        found = []
        for row in rows:
            payload = parse(str(row.payload.get("template")), row.payload.get("args"))
            if isinstance(payload, RequestClosedNotice):
                found.append((row.channel or "", row.idempotency_key, payload))
        return found


def test_a_coach_who_leaves_has_each_learner_still_waiting_on_them_told_and_no_one_else(db: Database) -> None:
    learners = {user: Role.LEARNER for user in ("U0ANN", "U0BEN", "U0CAT", "U0EVE")}
    seed(db, U0COACH=Role.COACH, U0DAN=Role.COACH, **learners)
    asked = {learner: ask(db, learner, "U0COACH") for learner in ("U0ANN", "U0BEN", "U0CAT")}
    ask(db, "U0EVE", "U0DAN")  # another coach's request stays open, and U0EVE hears nothing
    leave(db.unit_of_work(), "T0001", None, "U0CAT", NOW)  # gone: nobody waits

    leave(db.unit_of_work(), "T0001", None, "U0COACH", LATER)

    notices = told(db)
    assert [(to, key) for to, key, _ in notices] == [
        ("U0ANN", f"request:{asked['U0ANN']}:closed"),
        ("U0BEN", f"request:{asked['U0BEN']}:closed"),
    ]
    assert {n for _, _, n in notices} == {
        RequestClosedNotice("PGY1-SPRING", "U0COACH", RequestClosedBecause.GUIDE_GONE)
    }
    with pytest.raises(NotAMember):  # leaving again changes nothing and tells nobody twice
        leave(db.unit_of_work(), "T0001", None, "U0COACH", LATER)
    assert len(told(db)) == 2


@pytest.mark.parametrize("weeks", [None, 2])
def test_a_learner_on_a_pause_when_the_coach_answers_is_told_their_request_closed(
    db: Database, weeks: int | None
) -> None:
    seed(db, U0LEARN=Role.LEARNER, U0COACH=Role.COACH)
    request_id = ask(db, "U0LEARN", "U0COACH")
    pause(db.unit_of_work(), "T0001", "U0LEARN", weeks, NOW)

    with pytest.raises(RequestLapsed):
        accept_request(db.unit_of_work(), "T0001", "U0COACH", request_id, LATER)

    assert told(db) == [
        (
            "U0LEARN",
            f"request:{request_id}:closed",
            RequestClosedNotice("PGY1-SPRING", "U0COACH", RequestClosedBecause.LEARNER_PAUSED),
        )
    ]
    with pytest.raises(RequestLapsed):  # the second press finds it closed and tells nobody again
        accept_request(db.unit_of_work(), "T0001", "U0COACH", request_id, LATER)
    assert len(told(db)) == 1


def test_a_coach_whose_role_changed_has_the_learner_told_when_they_answer(db: Database) -> None:
    ids = seed(db, U0LEARN=Role.LEARNER, U0COACH=Role.COACH)
    request_id = ask(db, "U0LEARN", "U0COACH")
    with db.unit_of_work() as uow:  # as a cohort file can change it
        uow.session.get_one(Member, ids.members["U0COACH"]).role = Role.PEER
        uow.commit()

    with pytest.raises(RequestLapsed):
        accept_request(db.unit_of_work(), "T0001", "U0COACH", request_id, NOW)

    [(to, _, notice)] = told(db)
    assert (to, notice.because) == ("U0LEARN", RequestClosedBecause.GUIDE_GONE)


def test_a_learner_who_left_or_whose_request_was_declined_is_not_told_it_closed(
    db: Database,
) -> None:
    ids = seed(db, U0ANN=Role.LEARNER, U0BEN=Role.LEARNER, U0COACH=Role.COACH)
    left = ask(db, "U0ANN", "U0COACH")
    leave(db.unit_of_work(), "T0001", None, "U0ANN", NOW)
    declined = ask(db, "U0BEN", "U0COACH")
    decline_request(db.unit_of_work(), "T0001", "U0COACH", declined, NOW)
    with db.unit_of_work() as uow:
        assert uow.session.get_one(Member, ids.members["U0ANN"]).status is MemberStatus.LEFT
    with pytest.raises(RequestLapsed):
        accept_request(db.unit_of_work(), "T0001", "U0COACH", left, NOW)

    assert told(db) == []


def test_coaches_a_cohort_file_makes_learners_have_every_learner_waiting_on_them_told(db: Database) -> None:
    seed(db, U0ANN=Role.LEARNER, U0BEN=Role.LEARNER, U0ADA=Role.COACH, U0BOB=Role.COACH, U0CY=Role.COACH)
    asked = {learner: ask(db, learner, coach) for learner, coach in (("U0ANN", "U0ADA"), ("U0BEN", "U0BOB"))}
    members = "".join(
        f"  - {{user: {user}, role: {role}}}\n"
        for user, role in (
            ("U0ANN", "learner"),
            ("U0BEN", "learner"),
            ("U0ADA", "learner"),
            ("U0BOB", "coach"),
        )
    )
    text = (
        "cohort:\n  slug: pgy1-spring\n  name: PGY1-SPRING\n  pairing: coach_learner\n"
        f"  facilitators: [U0FAC]\nmembers:\n{members}"
    )
    cohort = parse_cohort_file(text, "cohort.yml")
    with counted(db) as seen:
        import_cohort(db.unit_of_work(), "T0001", cohort, as_given(cohort), now=NOW)

    assert [(to, key, n.guide_user_id, n.because) for to, key, n in told(db)] == [
        ("U0ANN", f"request:{asked['U0ANN']}:closed", "U0ADA", RequestClosedBecause.GUIDE_GONE)
    ]
    with pytest.raises(RequestLapsed):  # what U0ADA still has in their DM closed already
        accept_request(db.unit_of_work(), "T0001", "U0ADA", asked["U0ANN"], NOW)
    assert len([s for s in seen if "coach_requests" in s]) == 1  # withdrawn in one statement
