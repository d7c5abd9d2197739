"""Rows already waiting when the app is upgraded are sent as they were recorded; odd ones fail for good."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.dispatch import dispatch
from circles.domain.vocabulary import OutboxStatus
from circles.persistence.db import Database
from standin import SlackStandIn
from tests.dispatching import NOW, UNPACED, Stored, deps_for, posts, record, rows
from tests.stored_rows import CURRENT, OLDER


@pytest.fixture
def standin() -> Iterator[SlackStandIn]:
    with SlackStandIn() as running:
        yield running


def test_every_kind_of_row_recorded_before_the_upgrade_is_sent_once(
    db: Database, standin: SlackStandIn
) -> None:
    waiting = [
        Stored(f"{template}:{n}", "C0NEW", template, args)
        for n, (template, args) in enumerate(CURRENT + OLDER)
    ]
    record(db, waiting)

    summary = dispatch(deps_for(db, standin), NOW, options=UNPACED)

    assert (summary.sent, summary.failed) == (len(waiting), 0)
    assert posts(standin) == {row.key: 1 for row in waiting}


def test_a_row_that_does_not_fit_its_kind_fails_for_good_and_the_others_go(
    db: Database, standin: SlackStandIn
) -> None:
    record(
        db,
        [
            Stored(
                "checkin:missed",
                "C0NEW",
                "checkin",
                {"checkin_id": None, "cohort_name": "c", "partner_user_id": "U1"},
            ),
            Stored("fine", "C0NEW", "plain", {"text": "Hello"}),
        ],
    )

    summary = dispatch(deps_for(db, standin), NOW, options=UNPACED)

    found = rows(db)
    assert (found["checkin:missed"].status, found["checkin:missed"].last_error) == (
        OutboxStatus.FAILED,
        "unbuildable:MalformedPayload",
    )
    assert found["fine"].status == OutboxStatus.SENT
    assert posts(standin) == {"fine": 1}
    assert (summary.sent, summary.failed) == (1, 1)
