"""A circle's conversation Slack no longer lets the app post in (archived, the app removed, deleted), on
SQLite and PostgreSQL: the prompt is recorded failed once, no later prompt goes there or to an earlier
round's circles, and the cohort's facilitators are told once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.gateway.record import Recorder
from bot.messages import render
from circles.domain.vocabulary import OutboxStatus
from circles.persistence.db import Database
from circles.persistence.models import OutboxMessage
from circles.services.outbox.queue import claim_due
from circles.services.planning import plan
from tests import factories
from tests.integration import planning_world as world
from tests.integration.planning_world import GRACE

FAC = "U0FAC"
MONDAY = datetime(2026, 3, 9, 12, 30, tzinfo=UTC)
WEEK = timedelta(days=7)


def two_rounds(db: Database) -> None:
    """Round 1 met in C0OLD; round 2 meets in C0GONE (the one that goes) and C0KEPT."""
    with db.unit_of_work() as uow:
        s = uow.session
        co = world.cohort(s, world.workspace(s))
        co.name = "PGY-1 <nights> & days"
        factories.facilitator(s, co, FAC)
        people = [world.member(s, co, f"U0P{i}") for i in range(4)]
        world.circle(s, co, people, "C0OLD", round_number=1)
        world.circle(s, co, people[:2], "C0GONE", round_number=2)
        world.circle(s, co, people[2:], "C0KEPT", round_number=2)
        uow.commit()


def prompt_into(db: Database, channel: str, error: str, now: datetime) -> None:
    """Plan the week and have Slack refuse the circle prompt into `channel` with `error`."""
    with db.unit_of_work() as uow:
        plan(uow.session, now, grace=GRACE, look_back=GRACE)
        uow.commit()
    later = now + timedelta(hours=2)
    claimed = claim_due(db.unit_of_work(), later, limit=100, claim_for=timedelta(minutes=5))
    recorder = Recorder(db)
    for row in claimed:
        if row.channel == channel:
            recorder.failed(row, error, now)


def rows(db: Database) -> list[OutboxMessage]:
    with db.unit_of_work() as uow:
        return list(uow.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


@pytest.mark.parametrize("error", ["is_archived", "not_in_channel", "channel_not_found"])
def test_a_circle_slack_no_longer_takes_prompts_gets_none_and_its_facilitators_hear_once(
    db: Database, error: str
) -> None:
    two_rounds(db)

    prompt_into(db, "C0GONE", error, MONDAY)
    prompt_into(db, "C0GONE", error, MONDAY + WEEK)
    prompt_into(db, "C0GONE", error, MONDAY + 2 * WEEK)

    prompts = [(r.channel, r.status) for r in rows(db) if r.payload.get("template") == "circle_prompt"]
    assert prompts.count(("C0GONE", OutboxStatus.FAILED)) == 1
    assert [c for c, _ in prompts].count("C0KEPT") == 3
    assert "C0OLD" not in [c for c, _ in prompts]
    told = [r for r in rows(db) if r.channel == FAC]
    assert len(told) == 1
    text = render(str(told[0].payload["template"]), told[0].payload["args"]).text
    assert text.startswith(
        "Circles can no longer post in *circle-pgy1-2* of *PGY-1 &lt;nights&gt; &amp; days*:"
    )


@pytest.mark.parametrize("error", ["restricted_action", "restricted_action_read_only_channel"])
def test_a_circle_slack_will_not_let_circles_post_in_is_told_to_its_facilitators_once_and_kept(
    db: Database, error: str
) -> None:
    two_rounds(db)

    for week in range(3):
        prompt_into(db, "C0GONE", error, MONDAY + week * WEEK)

    prompts = [(r.channel, r.status) for r in rows(db) if r.payload.get("template") == "circle_prompt"]
    assert prompts.count(("C0GONE", OutboxStatus.FAILED)) == 3  # still planned: an admin can allow it again
    assert [c for c, _ in prompts].count("C0KEPT") == 3
    told = [r for r in rows(db) if r.channel == FAC]
    assert len(told) == 1
    text = render(str(told[0].payload["template"]), told[0].payload["args"]).text
    assert text.startswith(
        "Slack does not let Circles post in *circle-pgy1-2* of *PGY-1 &lt;nights&gt; &amp; days*:"
    )
    assert "workspace admin" in text
