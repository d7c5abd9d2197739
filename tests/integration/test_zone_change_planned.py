"""Someone's Slack time zone changes (London to New York) half an hour before a check-in planned for 9:00
where they were: it comes at 9:00 where they are now, once, never at 4:00 or 5:00 there. On SQLite and
PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.tick import run_tick
from circles.persistence.db import Database
from circles.services.people.profiles.slack import SlackPerson, refresh_from_slack
from standin import SlackStandIn
from tests.dispatching import UNPACED, deps_for
from tests.integration.test_planning import standard, utc
from tests.integration.test_round_steps_ended_pairs import standin

__all__ = ["standin"]  # the fixture: Slack's stand-in

SENDING = replace(UNPACED, look_up_dnd=False)
NEW_YORK = ZoneInfo("America/New_York")
MOVED = utc(2026, 3, 9, 8, 30)  # 8:30 in London, half an hour before the learner's check-in there


def test_a_check_in_planned_at_nine_where_they_were_comes_at_nine_where_they_are_now(
    db: Database, standin: SlackStandIn
) -> None:
    standard(db)  # a New York cohort, Mondays 9:00, its learner in London
    asked = learner_asked(db, standin, utc(2026, 3, 9, 8, 15), utc(2026, 3, 9, 16), MOVED, "America/New_York")

    # Before: 5:00 in New York (9:00 in London), and no check-in at 9:00 there: its key was taken.
    assert [at.astimezone(NEW_YORK).hour for at in asked] == [9]


def learner_asked(
    db: Database, standin: SlackStandIn, start: datetime, end: datetime, moved: datetime, zone: str
) -> list[datetime]:
    """Ticks every 15 minutes from `start` to `end`, U0LEARN's Slack time zone becoming `zone` at `moved`:
    when each check-in posted to them went."""
    deps, asked, now = deps_for(db, standin), [], start
    while now <= end:
        if now == moved:
            person = SlackPerson(timezone=zone, display_name=None, team_id=None)
            refresh_from_slack(db.unit_of_work(), team_id="T0001", user_id="U0LEARN", slack=person, now=now)
        seen = len(standin.calls("chat.postMessage"))
        run_tick(deps, now, sending=SENDING)
        posted = standin.calls("chat.postMessage")[seen:]
        asked += [
            now for c in posted if c.args.get("channel") == "U0LEARN" and "Check-in" in c.args.get("text", "")
        ]
        now += timedelta(minutes=15)
    return asked
