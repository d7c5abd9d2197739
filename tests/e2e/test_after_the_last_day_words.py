"""After a cohort's last day, over real HTTP, in the words a person reads: `/circles resume` says the cohort
has ended from the same moment `/circles pause` does (not "Welcome back" while the day is not yet over
everywhere), and a facilitator's Pause on an alert says so in a facilitator's words, pointing to the steps
still theirs; nothing changes and nobody is sent anything.

The cohort runs in Kiritimati (UTC+14) and its last day was yesterday there: over where it runs whatever
the hour the test runs, never yet over in every zone (that takes till noon UTC of today there)."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot import ids
from circles.domain.vocabulary import EscalationStatus, MemberStatus, PartnershipStatus
from circles.persistence.models import CheckIn, Cohort, Escalation, Member, OutboxMessage, Partnership
from tests import escalation_world as w
from tests.e2e.conftest import RunningApp, coaching_pair
from tests.e2e.test_escalations import MEMBERS, answers_to, click, escalate, escalation_id
from tests.e2e.test_pauses_and_endings_words import say
from tests.escalation_world import FACILITATORS

ZONE = "Pacific/Kiritimati"


def ended_yesterday_where_it_runs(app: RunningApp) -> None:
    today_there = datetime.now(UTC).astimezone(ZoneInfo(ZONE)).date()
    with app.db.unit_of_work() as uow:
        cohort = uow.session.scalars(select(Cohort)).one()
        cohort.timezone = ZONE
        cohort.starts_on, cohort.ends_on = today_there - timedelta(weeks=12), today_there - timedelta(days=1)
        uow.commit()


def test_resume_after_the_last_day_says_the_cohort_has_ended_not_welcome_back(
    serve_app: Callable[..., RunningApp],
) -> None:
    app = serve_app()
    coaching_pair(app)
    assert "Paused" in json.dumps(say(app, "pause", "U0LEARN"))  # while the cohort still ran
    ended_yesterday_where_it_runs(app)
    with app.db.reading() as reading:
        sent_before = list(reading.session.scalars(select(OutboxMessage.idempotency_key)))

    answer = say(app, "resume", "U0LEARN")

    assert answer["response_type"] == "ephemeral"
    text = str(answer["text"])
    assert "`pgy1` has come to its end, so there is nothing to pause or resume" in text  # not "Welcome back"
    assert "Nothing was changed and nobody was told" in text
    app.settled()
    assert app.standin.calls("chat.postMessage") == []
    with app.db.reading() as reading:
        assert list(reading.session.scalars(select(OutboxMessage.idempotency_key))) == sent_before
        learner = reading.session.scalars(select(Member).where(Member.slack_user_id == "U0LEARN")).one()
        assert learner.status is MemberStatus.PAUSED


def test_a_facilitators_pause_on_an_alert_after_the_last_day_says_the_cohort_has_ended(
    serve_app: Callable[..., RunningApp],
) -> None:
    app = serve_app()
    with app.db.unit_of_work() as uow:
        world = w.build(uow.session)
        for checkin in uow.session.scalars(select(CheckIn)):
            checkin.rating = 4 if checkin.note_shared is False else 1
        uow.commit()
    for user in (*FACILITATORS, *MEMBERS):
        app.standin.add_user(user)
    escalate(app, world.partnership_id)
    ended_yesterday_where_it_runs(app)
    app.standin.clear()

    click(app, ids.ESCALATION_PAUSE, "U0FAC1", str(escalation_id(app)))

    [answer] = answers_to(app, "U0FAC1")
    assert "`pgy1` has come to its end, so this partnership can no longer be paused" in answer
    assert "Nothing was changed and nobody was told" in answer
    assert "You can still end the partnership or resolve this alert" in answer
    assert '"ephemeral"' in answer
    app.settled()
    assert app.standin.calls("chat.postMessage") == []  # neither partner hears of a pause
    with app.db.reading() as reading:
        assert reading.session.scalars(select(Partnership.status)).one() is PartnershipStatus.ACTIVE
        assert reading.session.scalars(select(Escalation.status)).one() is EscalationStatus.OPEN
        templates = reading.session.scalars(select(OutboxMessage.payload["template"].as_string()))
        assert set(templates) == {"escalation"}
