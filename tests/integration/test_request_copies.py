"""A coach's copy of a request, in their DM with the app, is redrawn as closed when the learner's side closes
it (the learner withdrew it, left, or a round gave them a partner), so that its buttons are not pressed in
vain; never when the coach answered or went themselves, and once however the closing is retried."""

from __future__ import annotations

from sqlalchemy import select

from circles.domain.vocabulary import PairingMode, Role
from circles.messages import RequestCopyClosed, parse
from circles.persistence.db import Database
from circles.persistence.models import Cohort, OutboxMessage
from circles.services.matching.rounds import confirm_round, preview_round
from circles.services.partnerships.request_notices import remember_copy
from circles.services.partnerships.request_withdrawal import withdraw_own_request
from circles.services.partnerships.requests import decline_request
from circles.services.people.membership import leave
from tests import factories
from tests.factories import NOW
from tests.integration.test_directory import ask, seed

COHORT = "pgy1-spring"


def redraws(db: Database) -> list[tuple[str, str, str, RequestCopyClosed]]:
    """Every redraw recorded: where (channel, ts), under which key, and what it says."""
    with db.unit_of_work() as uow:
        rows = uow.session.scalars(select(OutboxMessage).where(OutboxMessage.method == "chat.update")).all()
        found = []
        for row in rows:
            args = row.payload.get("args") or {}
            payload = parse(str(row.payload.get("template")), args)
            assert isinstance(payload, RequestCopyClosed)
            found.append((row.channel or "", str(args["ts"]), row.idempotency_key, payload))
        return found


def asked_with_copy(db: Database, learner: str, coach: str, ts: str, slug: str = COHORT) -> int:
    request_id = ask(db, learner, coach, slug=slug)
    remember_copy(db.unit_of_work(), "T0001", request_id, f"D0{coach[2:]}", ts, NOW)
    return request_id


def test_a_learner_withdrawing_has_the_coachs_copy_redrawn_once(db: Database) -> None:
    seed(db, U0LEARN=Role.LEARNER, U0ADA=Role.COACH)
    request_id = asked_with_copy(db, "U0LEARN", "U0ADA", "1700000000.000100")
    assert redraws(db) == []

    withdraw_own_request(db.unit_of_work(), "T0001", "U0LEARN", COHORT, NOW)
    withdraw_own_request(db.unit_of_work(), "T0001", "U0LEARN", COHORT, NOW)  # again: nothing waits

    assert redraws(db) == [
        (
            "D0ADA",
            "1700000000.000100",
            f"request:{request_id}:copy-closed",
            RequestCopyClosed("PGY1-SPRING", "U0LEARN"),
        )
    ]


def test_a_copy_remembered_after_the_learner_withdrew_is_redrawn_at_once(db: Database) -> None:
    seed(db, U0LEARN=Role.LEARNER, U0ADA=Role.COACH)
    request_id = ask(db, "U0LEARN", "U0ADA")
    withdraw_own_request(db.unit_of_work(), "T0001", "U0LEARN", COHORT, NOW)  # before Slack answered the post
    remember_copy(db.unit_of_work(), "T0001", request_id, "D0ADA", "1700000000.000200", NOW)
    assert [(channel, ts) for channel, ts, _, _ in redraws(db)] == [("D0ADA", "1700000000.000200")]


def test_a_learner_who_leaves_has_every_copy_of_theirs_redrawn_and_only_in_that_cohort(db: Database) -> None:
    seed(db, U0LEARN=Role.LEARNER, U0ADA=Role.COACH)
    seed(db, slug="other", U0LEARN=Role.LEARNER, U0ADA=Role.COACH)
    here = asked_with_copy(db, "U0LEARN", "U0ADA", "1700000000.000300")
    asked_with_copy(db, "U0LEARN", "U0ADA", "1700000000.000400", slug="other")
    leave(db.unit_of_work(), "T0001", COHORT, "U0LEARN", NOW)
    assert [(ts, key) for _, ts, key, _ in redraws(db)] == [
        ("1700000000.000300", f"request:{here}:copy-closed")
    ]


def test_a_round_that_gives_the_learner_a_coach_redraws_the_copy(db: Database) -> None:
    seed(db, U0LEARN=Role.LEARNER, U0OTHER=Role.LEARNER, U0ADA=Role.COACH, U0BOB=Role.COACH)
    with db.unit_of_work() as uow:
        cohort = uow.session.scalars(select(Cohort)).one()
        cohort.pairing_mode = PairingMode.COACH_LEARNER
        factories.facilitator(uow.session, cohort, "U0FAC")
        uow.commit()
    asked_with_copy(db, "U0LEARN", "U0ADA", "1700000000.000500")
    plan = preview_round(db.unit_of_work(), "T0001", COHORT, user_id="U0FAC", is_admin=False, now=NOW)
    confirm_round(db.unit_of_work(), "T0001", plan.run_id, user_id="U0FAC", is_admin=False, now=NOW)
    assert [payload for _, _, _, payload in redraws(db)] == [RequestCopyClosed("PGY1-SPRING", "U0LEARN")]


def test_nothing_is_redrawn_when_the_coach_answered_or_left_or_no_copy_is_known(db: Database) -> None:
    seed(db, U0LEARN=Role.LEARNER, U0OTHER=Role.LEARNER, U0THIRD=Role.LEARNER, U0ADA=Role.COACH)
    declined = asked_with_copy(db, "U0LEARN", "U0ADA", "1700000000.000600")
    decline_request(db.unit_of_work(), "T0001", "U0ADA", declined, NOW)  # their press redrew it already
    ask(db, "U0OTHER", "U0ADA")  # its copy's place never came back from Slack
    withdraw_own_request(db.unit_of_work(), "T0001", "U0OTHER", COHORT, NOW)
    asked_with_copy(db, "U0THIRD", "U0ADA", "1700000000.000700")
    leave(db.unit_of_work(), "T0001", COHORT, "U0ADA", NOW)  # the coach went: the learner is told instead
    assert redraws(db) == []


def test_a_copy_in_another_workspace_or_without_a_message_is_not_remembered(db: Database) -> None:
    seed(db, U0LEARN=Role.LEARNER, U0ADA=Role.COACH)
    seed(db, team_id="T0002", slug="theirs", U0X=Role.LEARNER)
    request_id = ask(db, "U0LEARN", "U0ADA")
    remember_copy(db.unit_of_work(), "T0002", request_id, "D0EVIL", "1.2", NOW)
    remember_copy(db.unit_of_work(), "T0001", request_id, "D0ADA", "", NOW)  # Slack gave no ts
    withdraw_own_request(db.unit_of_work(), "T0001", "U0LEARN", COHORT, NOW)
    assert redraws(db) == []
