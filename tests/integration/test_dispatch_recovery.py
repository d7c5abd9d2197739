"""Crashes and company: a dispatcher that died mid-send, two dispatchers at once, a refused token."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta

import pytest
from slack_sdk.oauth.installation_store import Installation
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore

from bot.dispatch import DispatchSummary, dispatch
from bot.gateway import Clients, Gateway, Sent
from circles.domain.vocabulary import OutboxStatus
from circles.persistence.db import Database
from circles.services.intake.workspaces import find_workspace
from circles.services.outbox.queue import claim_due
from standin import SlackStandIn
from tests.dispatching import NOW, UNPACED, deps_for, plain, posts, record, rows

CLAIM = timedelta(minutes=5)


@pytest.fixture
def standin() -> Iterator[SlackStandIn]:
    with SlackStandIn() as running:
        yield running


def removed(db: Database, team_id: str) -> bool:
    """Whether the workspace is marked removed (the app uninstalled, or its token refused)."""
    with db.reading() as reading:
        workspace = find_workspace(reading.session, team_id)
        return workspace is not None and workspace.uninstalled_at is not None


def die_after_posting(db: Database, standin: SlackStandIn, posted: int) -> None:
    """A dispatcher claims every due row, posts the first few, and dies before recording anything."""
    gateway = Gateway(Clients(deps_for(db, standin).settings))
    claimed = claim_due(db.unit_of_work(), NOW, limit=100, claim_for=CLAIM)
    for row in claimed[:posted]:
        assert isinstance(gateway.send(row, maybe_posted=False), Sent)


def test_a_dispatcher_killed_between_posting_and_recording_loses_nothing_and_doubles_nothing(
    db: Database, standin: SlackStandIn
) -> None:
    record(
        db,
        [
            plain("prompt:1", "C0ONE"),
            plain("prompt:2", "C0TWO"),
            plain("dm:1", "U0ANN"),
            plain("dm:2", "U0BEA"),
        ],
    )
    die_after_posting(db, standin, posted=3)

    soon, later = NOW + timedelta(minutes=1), NOW + CLAIM + timedelta(seconds=1)  # on the wall clock too
    too_soon = dispatch(deps_for(db, standin), soon, options=UNPACED, wall=soon)
    restarted = dispatch(deps_for(db, standin), later, options=UNPACED, wall=later)

    assert too_soon.claimed == 0  # the dead dispatcher's claims still run
    assert (restarted.sent, restarted.deduplicated) == (1, 3)
    assert posts(standin) == {"prompt:1": 1, "prompt:2": 1, "dm:1": 1, "dm:2": 1}
    found = rows(db)
    assert {row.status for row in found.values()} == {OutboxStatus.SENT}
    [dm] = standin.messages("D0ANN")
    assert found["dm:1"].result == {"channel": "D0ANN", "ts": dm["ts"]}


def test_when_the_app_may_not_read_the_history_an_unknown_fate_is_posted_again(
    db: Database, standin: SlackStandIn
) -> None:
    # Circles asks for no *:history scope, so on Slack the check answers missing_scope: at least once.
    standin.error("conversations.history", "missing_scope", times=None)
    record(db, [plain("prompt:1", "C0ONE"), plain("prompt:2", "C0TWO")])
    die_after_posting(db, standin, posted=2)

    later = NOW + CLAIM + timedelta(seconds=1)  # the dead dispatcher's claims have run out
    restarted = dispatch(deps_for(db, standin), later, options=replace(UNPACED, workers=1), wall=later)

    assert restarted.sent == 2
    assert posts(standin) == {"prompt:1": 2, "prompt:2": 2}
    assert len(standin.calls("conversations.history")) == 1  # learned once, not asked for every row


def test_two_dispatchers_at_once_post_every_message_exactly_once(database_url: str, db: Database) -> None:
    keys = [f"prompt:{i}" for i in range(40)] + [f"dm:{i}" for i in range(40)]
    channels = [f"C{i:04d}" for i in range(40)] + [f"U{i:04d}" for i in range(40)]
    record(db, [plain(key, channel) for key, channel in zip(keys, channels, strict=True)])
    with SlackStandIn() as standin:
        standin.latency = 0.02  # so that both are mid-call at the same time
        summaries: list[DispatchSummary] = []
        together = threading.Barrier(2)

        def dispatcher() -> None:
            own = Database(database_url)  # its own engine and connections, like another process
            try:
                together.wait()
                summaries.append(dispatch(deps_for(own, standin), NOW, options=replace(UNPACED, batch=8)))
            finally:
                own.dispose()

        threads = [threading.Thread(target=dispatcher) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

        assert posts(standin) == dict.fromkeys(keys, 1)
    assert sum(s.sent for s in summaries) == 80
    assert all(s.sent > 0 for s in summaries)  # they shared the work
    assert {row.status for row in rows(db).values()} == {OutboxStatus.SENT}


def test_a_refused_token_holds_that_workspaces_rows_without_asking_slack_for_each(
    db: Database, standin: SlackStandIn
) -> None:
    standin.valid_tokens = {"xoxb-someone-else"}
    record(db, [plain(f"prompt:{i}", f"C{i}") for i in range(5)])

    summary = dispatch(deps_for(db, standin), NOW, options=replace(UNPACED, workers=1))

    assert (summary.failed, summary.released) == (0, 5)
    assert len(standin.calls("chat.postMessage")) == 1
    assert {row.status for row in rows(db).values()} == {OutboxStatus.PENDING}  # they wait for a reinstall
    assert removed(db, "T0001")


def test_in_oauth_mode_each_workspace_is_sent_with_its_own_installations_token(
    db: Database, standin: SlackStandIn
) -> None:
    store = SQLAlchemyInstallationStore(client_id="111.222", engine=db.engine)
    store.save(Installation(app_id="A0APP", team_id="T0002", bot_token="xoxb-second", user_id="U0INSTALLER"))
    standin.add_team("T0002")
    standin.add_token("xoxb-second", team_id="T0002")
    record(db, [plain("first:hello", "C0ONE")], team_id="T0001")  # installed before the store knew it
    record(db, [plain("second:hello", "C0TWO")], team_id="T0002")
    deps = deps_for(db, standin)

    summary = dispatch(replace(deps, installation_store=store), NOW, options=UNPACED)

    assert (summary.sent, summary.failed) == (1, 0)
    [call] = standin.calls("chat.postMessage")
    assert (call.token, call.response["message"]["team"]) == ("xoxb-second", "T0002")
    assert rows(db)["first:hello"].status is OutboxStatus.PENDING  # no token: it waits for an install
    assert (removed(db, "T0001"), removed(db, "T0002")) == (True, False)
