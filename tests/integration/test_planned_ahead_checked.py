"""A coach's session idea is planned up to an hour ahead of its time; a pair can end in that hour. The idea
is looked at again when it is taken to be sent, whether or not it waited, and a coach with no running pair
left in the cohort never gets it. On SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.tick import run_tick
from circles.persistence.db import Database
from circles.services.partnerships.changes import end_partnership
from standin import SlackStandIn
from tests.dispatching import UNPACED, deps_for
from tests.integration.test_planning import standard, utc
from tests.integration.test_round_steps_ended_pairs import standin

__all__ = ["standin"]  # the fixture: Slack's stand-in

SENDING = replace(UNPACED, look_up_dnd=False)
PLANNED = utc(2026, 3, 9, 12, 10)  # the idea for 9:00 in New York (13:00 UTC) is written now
ENDED = utc(2026, 3, 9, 12, 30)
SENT = utc(2026, 3, 9, 13, 0)


def ideas_to_the_coach(db: Database, standin: SlackStandIn, ended: bool) -> list[str]:
    _, _, pair, _, _ = standard(db)
    deps = deps_for(db, standin)
    for now in (PLANNED, ENDED, SENT):
        if ended and now == ENDED:
            end_partnership(db.unit_of_work(), "T0001", "U0COACH", pair.id, "", now, request_key="r1")
        run_tick(deps, now, sending=SENDING)
    posts = standin.calls("chat.postMessage")
    return [c.args.get("text", "") for c in posts if c.args.get("channel") == "U0COACH" and _idea(c.args)]


def _idea(args: dict[str, object]) -> bool:
    return "session idea" in str(args.get("text", "")).lower()


@pytest.mark.parametrize("ended", [False, True], ids=["running", "ended-half-an-hour-before"])
def test_a_session_idea_reaches_a_coach_only_while_they_have_a_pair_to_use_it_with(
    db: Database, standin: SlackStandIn, ended: bool
) -> None:
    ideas = ideas_to_the_coach(db, standin, ended)

    assert len(ideas) == (0 if ended else 1)  # before: it came half an hour after the pair had ended
