"""The answer to a message typed to the app goes at once, even while a cohort's prompts that fell due a
moment before are still being posted at the workspace's pace (`circles run`, paced as in production)."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from circles.domain.vocabulary import Role
from circles.messages import CirclePrompt
from circles.persistence.db import Database
from circles.services.outbox.enqueue import Outgoing, enqueue_many
from standin import SlackStandIn
from tests import factories
from tests.databases import migrated_sqlite_url
from tests.e2e.conftest import BOT_TOKEN, NOTES_KEY, SIGNING_SECRET
from tests.e2e.harness import Started, circles_run_logged
from tests.e2e.test_typed_messages import RESOURCES, send, typed

BULK = 150  # a cohort's circle prompts: 30 s of the workspace's 300 posts a minute
PROMPT = CirclePrompt("rest-1", "Rest", "What helped you rest this week?", None, "PGY-1", 3)


@pytest.fixture
def served(standin: SlackStandIn, tmp_path: Path) -> Iterator[Started]:
    """`circles run` in HTTP mode with Lee and Bob in a cohort whose circles' prompts have just fallen due."""
    for user in ("U0LEE", "U0BOB", "U0FAY"):
        standin.add_user(user)
    settings = {
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": standin.api_url,
        "CIRCLES_NOTES_KEY": NOTES_KEY,
    }
    migrated_sqlite_url(tmp_path)
    with circles_run_logged(tmp_path, **settings) as started:
        db = Database(f"sqlite:///{tmp_path / 'circles.db'}")
        with db.unit_of_work() as uow:
            ws = factories.workspace(uow.session)
            co = factories.cohort(uow.session, ws, "pgy1", "PGY-1")
            co.wellbeing_resources = RESOURCES
            factories.facilitator(uow.session, co, "U0FAY")
            for user in ("U0LEE", "U0BOB"):
                factories.member(uow.session, co, user, Role.LEARNER)
            now = datetime.now(UTC)
            prompts = [Outgoing(f"prompt:{n}", f"C0CIRCLE{n:03d}", PROMPT) for n in range(BULK)]
            enqueue_many(uow.session, ws.id, prompts, now, now)
            uow.commit()
        db.dispose()
        standin.clear()
        yield started


def test_the_answer_to_a_typed_message_does_not_wait_behind_prompts_that_fell_due_before(
    served: Started, standin: SlackStandIn
) -> None:
    send(served, standin, typed(user="U0BOB"))  # Bob's answer wakes the sender, which takes on the prompts
    standin.wait_for("chat.postMessage", predicate=lambda c: c.args["channel"] == "C0CIRCLE005", timeout=10)

    typed_at = send(served, standin, typed())
    [answer] = standin.wait_for(
        "chat.postMessage", predicate=lambda c: c.args["channel"] == "U0LEE", timeout=60
    )

    assert time.monotonic() - typed_at < 2.0  # not after the prompts left (about 25 s of the pace)
    assert RESOURCES in json.dumps(answer.args, ensure_ascii=False)
    posted = [c.args["channel"] for c in standin.calls("chat.postMessage")]
    assert len([channel for channel in posted if channel.startswith("C0CIRCLE")]) < BULK - 50  # still going
