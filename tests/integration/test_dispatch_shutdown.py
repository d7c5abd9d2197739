"""A pass caught by the process shutting down hands its messages back instead of breaking off."""

from __future__ import annotations

import concurrent.futures.thread
from collections.abc import Iterator

import pytest

from bot.dispatch import dispatch
from circles.domain.vocabulary import OutboxStatus
from circles.persistence.db import Database
from standin import SlackStandIn
from tests.dispatching import NOW, UNPACED, deps_for, plain, record, rows


@pytest.fixture
def standin() -> Iterator[SlackStandIn]:
    with SlackStandIn() as running:
        yield running


def test_messages_a_shutting_down_process_cannot_start_go_back_to_the_outbox_untouched(
    db: Database, standin: SlackStandIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    record(db, [plain(f"m{n}", f"C{n:04d}") for n in range(5)])
    # What the interpreter sets on exit (SIGTERM): thread pools refuse new work from then on.
    monkeypatch.setattr(concurrent.futures.thread, "_shutdown", True)

    summary = dispatch(deps_for(db, standin), NOW, options=UNPACED)

    assert standin.calls("chat.postMessage") == []
    assert summary.released == 5
    assert {row.status for row in rows(db).values()} == {OutboxStatus.PENDING}
    monkeypatch.undo()
    dispatch(deps_for(db, standin), NOW, options=UNPACED)
    assert {row.status for row in rows(db).values()} == {OutboxStatus.SENT}
