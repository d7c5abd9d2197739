"""A pair's conversation starter goes into the pair's own conversation when both partners can read it, as a
circle's prompt waits for most of its circle: never in the night of a partner on the other side of the
world. On SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.tick import run_tick
from circles.persistence.db import Database
from circles.persistence.models import Profile
from standin import SlackStandIn
from tests.dispatching import UNPACED, deps_for
from tests.integration.test_planning import standard, utc
from tests.integration.test_round_steps_ended_pairs import standin

__all__ = ["standin"]  # the fixture: Slack's stand-in

SENDING = replace(UNPACED, look_up_dnd=False)
SYDNEY = ZoneInfo("Australia/Sydney")


def test_a_starter_waits_for_the_morning_of_a_partner_in_sydney_and_goes_once(
    db: Database, standin: SlackStandIn
) -> None:
    standard(db)  # a New York cohort: its pair's starter is planned for Monday 9:00 there
    with db.unit_of_work() as uow:
        learner = uow.session.scalars(select(Profile).where(Profile.slack_user_id == "U0LEARN")).one()
        learner.timezone = "Australia/Sydney"
        uow.commit()
    deps = deps_for(db, standin)
    start, sent_at = utc(2026, 3, 16, 6), []  # a day from early Monday in New York
    for hour in range(24):
        now = start + timedelta(hours=hour)
        seen = len(standin.calls("chat.postMessage"))
        run_tick(deps, now, sending=SENDING)
        posted = standin.calls("chat.postMessage")[seen:]
        sent_at += [now.astimezone(SYDNEY) for call in posted if call.args.get("channel") == "G0PAIR1"]

    assert len(sent_at) == 1, sent_at
    assert 7 <= sent_at[0].hour < 22, sent_at  # before: midnight in Sydney, 9:00 in New York
