"""A large round's creation in Slack: as fast as Slack's limits allow, cheap to confirm, and shown as it goes.

Slack's limits are kept by the dispatcher's own pacing on a fake clock, so a round that would take minutes
in Slack takes a moment here.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

import pytest

from bot.dispatch import DispatchOptions, dispatch
from circles.domain.vocabulary import MeetingPlace, PairingMode, Role
from circles.persistence.db import Database
from circles.services.matching.rounds import confirm_round, preview_round
from circles.services.rounds.steps import round_report
from standin import SlackStandIn
from tests import factories
from tests.databases import counted
from tests.dispatching import NOW, FakeClock, deps_for, taken

FAC = "U0FAC"
CREATE_GAP = 60 / 20 * 1.05  # conversations.create is Tier 2: 20 a minute, with 5% to spare
OPEN_GAP = 60 / 50 * 1.05  # conversations.open (a pair's group DM) is Tier 3: 50 a minute
PACED = DispatchOptions(look_up_dnd=False)


@pytest.fixture
def standin() -> Iterator[SlackStandIn]:
    with SlackStandIn() as running:
        yield running


def peer_cohort(db: Database, standin: SlackStandIn | None, people: int, team: str = "T0001") -> None:
    """A peer cohort of `people` meeting in private channels, in circles of five, everyone in Slack."""
    with db.unit_of_work() as uow:
        co = factories.cohort(uow.session, factories.workspace(uow.session, team), "big", "Big")
        co.pairing_mode, co.meeting_place = PairingMode.PEER, MeetingPlace.PRIVATE_CHANNEL
        co.circle_min_size = co.circle_max_size = 5
        factories.facilitator(uow.session, co, FAC)
        for n in range(people):
            factories.member(uow.session, co, f"{team}P{n:05d}", Role.PEER, flush=False)
        uow.commit()
    if standin is None:
        return
    for user in (FAC, *(f"{team}P{n:05d}" for n in range(people))):
        standin.add_user(user)


def confirmed_round(db: Database) -> int:
    plan = preview_round(db.unit_of_work(), "T0001", "big", user_id=FAC, is_admin=False, now=NOW)
    confirm_round(db.unit_of_work(), "T0001", plan.run_id, user_id=FAC, is_admin=False, now=NOW)
    return plan.run_id


def test_channels_and_pair_conversations_are_made_side_by_side_within_the_slowest_limit(
    db: Database, standin: SlackStandIn
) -> None:
    peer_cohort(db, standin, 50)  # 10 circles and 25 pairs
    confirmed_round(db)
    clock = FakeClock()
    started = clock.now

    dispatch(deps_for(db, standin), NOW, options=PACED, pacer=clock.pacer())

    made = Counter(call.method for call in standin.calls())
    assert (made["conversations.create"], made["conversations.open"]) == (10, 25)
    # Each method has its own limit: 10 channels take ~31 s, 25 pair DMs ~31 s, at the same time.
    slowest = max(10 * CREATE_GAP, 25 * OPEN_GAP)
    assert clock.now - started < slowest * 1.25


def confirming_statements(db: Database, team: str, people: int) -> int:
    """The statements confirming a round of a fresh cohort of `people` sends.

    On SQLite inserts are left out: its driver cannot return the ids of a many-row insert in order, so
    rows go in one by one there, in-process; on PostgreSQL a table's rows go in together.
    """
    peer_cohort(db, None, people, team)
    plan = preview_round(db.unit_of_work(), team, "big", user_id=FAC, is_admin=False, now=NOW)
    with counted(db) as seen:
        confirm_round(db.unit_of_work(), team, plan.run_id, user_id=FAC, is_admin=False, now=NOW)
    sqlite = db.engine.dialect.name == "sqlite"
    return len([s for s in seen if not s.startswith("PRAGMA") and not (sqlite and s.startswith("INSERT"))])


def test_confirming_a_round_of_sixty_takes_as_many_statements_as_a_round_of_ten(db: Database) -> None:
    assert confirming_statements(db, "T0LARGE", 60) == confirming_statements(db, "T0SMALL", 10)


def test_slack_refusing_with_retry_after_slows_the_round_and_the_facilitator_sees_it_through_to_done(
    db: Database, standin: SlackStandIn
) -> None:
    peer_cohort(db, standin, 50)
    run_id = confirmed_round(db)
    standin.fail("conversations.create", status=429, retry_after=40, times=2, after=3)
    standin.fail("conversations.open", status=429, retry_after=40, times=1, after=5)
    clock = FakeClock()
    started = clock.now

    summary = dispatch(deps_for(db, standin), NOW, options=PACED, pacer=clock.pacer())

    assert (summary.rate_limited, summary.failed) == (3, 0)
    assert clock.now - started >= 40  # Slack's Retry-After was waited out
    report = round_report(db.unit_of_work(), run_id)
    assert (report.progress.done, report.progress.total, report.problems) == (35, 35, [])
    made = Counter(call.method for call in standin.calls() if taken(call))
    assert (made["conversations.create"], made["conversations.open"]) == (10, 25)
    [posted] = [c.args["text"] for c in standin.calls("chat.postMessage") if c.args["channel"] == FAC]
    updates = [c.args["text"] for c in standin.calls("chat.update")]
    ready = r"Creating: round 1 of \*Big\* — \d+ of 35 circles and pairs ready… "
    assert re.fullmatch(ready + r"(Less than a minute|About .+) to go\.", posted)
    assert updates[-1] == "Done: round 1 of *Big* — 35 of 35 circles and pairs ready."
