"""A facilitator Slack says has left (deactivated: Slack still takes messages to them) or who is away now is
sent nothing that must be read, on SQLite and PostgreSQL: a support request, an alert and its reminder, the
report of an ending go to the facilitators who are there, else to the admins at once; the member is told who
really has their request. Slack bringing the account back, or the return, makes them a hearer again."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bot.views.support import support_outcome
from circles.domain.availability import AbsenceKind
from circles.domain.availability.going_away import AwayRequest
from circles.domain.vocabulary import PairingMode, Role
from circles.messages import DirectAnswer, parse
from circles.persistence.db import Database
from circles.persistence.models import AwayBlock, GoneAccount, OutboxMessage, Partnership
from circles.services.availability.away import go_away
from circles.services.escalations.open import Concern, follow_up_unclaimed, open_escalations
from circles.services.partnerships.changes import end_partnership
from circles.services.people.left_slack import back_in_slack, left_slack
from circles.services.support.care import answer_typed_message
from circles.services.support.request import request_support
from tests import factories

NOW = datetime(2027, 1, 11, 10, tzinfo=UTC)  # a Monday
ADMIN = "U0ADM"
WORDS = "my rota is too much"


def seed(db: Database, *facilitators: str) -> int:
    """PGY-1, run by these facilitators: Cole coaches Lee; the first facilitator coaches Mia (so can say
    `/circles away`). The pair's id."""
    with db.unit_of_work() as uow:
        ws = factories.workspace(uow.session)
        co = factories.cohort(uow.session, ws, "pgy1", "PGY-1")
        co.pairing_mode = PairingMode.COACH_LEARNER
        for user in facilitators:
            factories.facilitator(uow.session, co, user)
        own = factories.member(uow.session, co, facilitators[0], Role.COACH)
        factories.pair(uow.session, own, factories.member(uow.session, co, "U0MIA", Role.LEARNER))
        coach = factories.member(uow.session, co, "U0COLE", Role.COACH)
        pair = factories.pair(uow.session, coach, factories.member(uow.session, co, "U0LEE", Role.LEARNER))
        uow.commit()
        return pair.id


def sent(db: Database, template: str) -> list[str]:
    """Who has a message of this kind, in order."""
    with db.reading() as reading:
        rows = reading.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
        return [str(row.channel) for row in rows if row.payload["template"] == template]


def ask(db: Database, key: str) -> list[str]:
    """Lee asks for support; who the answer says has it (the facilitators named to him)."""
    asked = request_support(db.unit_of_work(), "T0001", "U0LEE", WORDS, NOW, request_key=key, admins=[ADMIN])
    return asked.facilitators


def struggling(db: Database, pair_id: int, at: datetime = NOW) -> None:
    with db.unit_of_work() as uow:
        concern = Concern(
            pair_id, "struggling", ("both rated the partnership 1 or 2",), 0, (("2027-01-11", "struggling"),)
        )
        open_escalations(uow.session, [concern], at, admins=[ADMIN])
        uow.commit()


def follow_up(db: Database, at: datetime) -> None:
    with db.unit_of_work() as uow:
        follow_up_unclaimed(uow.session, at, [ADMIN])
        uow.commit()


def rotation(db: Database, user: str, until: datetime) -> None:
    """An imported rotation keeps this person away from yesterday until then."""
    with db.unit_of_work() as uow:
        ws_id = uow.session.scalars(select(Partnership.workspace_id)).first()
        block = AwayBlock(
            workspace_id=ws_id,
            slack_user_id=user,
            starts_at=NOW - timedelta(days=1),
            ends_at=until,
            kind=AbsenceKind.ROTATION,
            created_by="U0ADM",
            created_at=NOW - timedelta(days=2),
        )
        uow.session.add(block)
        uow.commit()


def test_a_request_for_support_goes_to_the_admins_while_the_only_facilitator_has_left_slack(
    db: Database,
) -> None:
    seed(db, "U0FAC")
    left_slack(db, "T0001", "U0FAC", NOW)
    assert ask(db, "k1") == []
    assert sent(db, "support_request") == [ADMIN]
    asked = request_support(db.unit_of_work(), "T0001", "U0LEE", WORDS, NOW, request_key="k1", admins=[ADMIN])
    assert "U0FAC" not in support_outcome(asked)
    assert "people who run Circles" in support_outcome(asked)

    assert back_in_slack(db.unit_of_work(), "T0001", "U0FAC")  # Slack shows the account active again
    assert ask(db, "k2") == ["U0FAC"]
    assert sent(db, "support_request") == [ADMIN, "U0FAC"]


def test_an_alert_goes_to_the_admins_at_once_and_no_reminder_to_a_facilitator_who_left(db: Database) -> None:
    pair_id = seed(db, "U0FAC")
    left_slack(db, "T0001", "U0FAC", NOW)
    struggling(db, pair_id)
    assert sent(db, "escalation") == [ADMIN]  # at once, not four days later
    for hours in (49, 97):
        follow_up(db, NOW + timedelta(hours=hours))
    assert sent(db, "escalation") == [ADMIN]


def test_an_ending_reported_while_the_only_facilitator_has_left_slack_reaches_the_admins(
    db: Database,
) -> None:
    pair_id = seed(db, "U0FAC")
    left_slack(db, "T0001", "U0FAC", NOW)
    change = end_partnership(
        db.unit_of_work(), "T0001", "U0LEE", pair_id, "we clash", NOW, request_key="r1", admins=[ADMIN]
    )
    assert change.facilitators == []  # nobody is named to Lee as able to read his reason
    assert sent(db, "partnership_report") == [ADMIN]


def test_the_answer_to_a_typed_message_says_nobody_can_hear_when_the_facilitators_left(db: Database) -> None:
    seed(db, "U0FAC")
    left_slack(db, "T0001", "U0FAC", NOW)
    assert answer_typed_message(db.unit_of_work(), "T0001", "U0LEE", NOW)
    with db.reading() as reading:
        row = reading.session.scalars(select(OutboxMessage).where(OutboxMessage.channel == "U0LEE")).one()
    answer = parse(row.payload["template"], row.payload["args"])
    assert isinstance(answer, DirectAnswer)
    assert [cohort.unheard for cohort in answer.cohorts] == [True]


def test_someone_slack_says_left_who_never_was_in_the_workspace_is_not_stored(db: Database) -> None:
    seed(db, "U0FAC")
    left_slack(db, "T0001", "U0STRANGER", NOW)
    with db.reading() as reading:
        assert reading.session.scalars(select(GoneAccount.slack_user_id)).all() == []


def test_a_request_for_support_goes_to_the_admins_while_the_only_facilitator_is_away(db: Database) -> None:
    seed(db, "U0FAC")
    go_away(db.unit_of_work(), "T0001", "U0FAC", AwayRequest(weeks=3), NOW)
    assert ask(db, "k1") == []
    assert sent(db, "support_request") == [ADMIN]


def test_only_the_facilitators_who_are_there_have_a_request_and_are_named_to_the_member(db: Database) -> None:
    seed(db, "U0FAC", "U0FAY")
    go_away(db.unit_of_work(), "T0001", "U0FAC", AwayRequest(weeks=3), NOW)
    assert ask(db, "k1") == ["U0FAY"]
    assert sent(db, "support_request") == ["U0FAY"]
    asked = request_support(db.unit_of_work(), "T0001", "U0LEE", WORDS, NOW, request_key="k1", admins=[ADMIN])
    assert "<@U0FAY>" in support_outcome(asked)
    assert "U0FAC" not in support_outcome(asked)


def test_an_alert_opened_while_every_facilitator_is_on_rotation_goes_to_the_admins_at_once(
    db: Database,
) -> None:
    pair_id = seed(db, "U0FAC")
    rotation(db, "U0FAC", NOW + timedelta(weeks=3))
    struggling(db, pair_id)
    assert sent(db, "escalation") == [ADMIN]


def test_an_alert_goes_to_the_facilitators_who_are_there_and_not_to_the_admins(db: Database) -> None:
    pair_id = seed(db, "U0FAC", "U0FAY")
    rotation(db, "U0FAC", NOW + timedelta(weeks=3))
    struggling(db, pair_id)
    assert sent(db, "escalation") == ["U0FAY"]


def test_a_facilitator_back_from_rotation_hears_again(db: Database) -> None:
    seed(db, "U0FAC")
    rotation(db, "U0FAC", NOW - timedelta(hours=1))  # over an hour ago
    assert ask(db, "k1") == ["U0FAC"]
