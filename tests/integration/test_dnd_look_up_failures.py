"""A Do Not Disturb look-up that fails forgets nothing Slack said before: a known quiet period still holds."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest

from bot.dispatch import dispatch
from circles.domain.vocabulary import OutboxStatus
from circles.messages import PartnerAway
from circles.persistence.db import Database
from circles.services.outbox.enqueue import Outgoing
from standin import SlackStandIn
from tests.dispatching import NOW, UNPACED, deps_for, posts, record, rows
from tests.integration.test_delivery_signals import digest, people


@pytest.fixture
def standin() -> Iterator[SlackStandIn]:
    with SlackStandIn() as running:
        yield running


def test_a_failed_look_up_during_a_known_do_not_disturb_still_holds_a_new_message(
    db: Database, standin: SlackStandIn
) -> None:
    standin.add_user("U0ANN", tz="UTC")
    standin.set_dnd("U0ANN", NOW + timedelta(minutes=40))
    record(db, [digest("U0ANN")])
    people(db, ["U0ANN"])
    dispatch(deps_for(db, standin), NOW, options=UNPACED)  # Slack says: Do Not Disturb for 40 minutes

    later = NOW + timedelta(minutes=20)
    away = Outgoing("away:1:U0ANN", "U0ANN", PartnerAway("U0BEN", "2026-12-07"))
    record(db, [away], due_at=later)
    standin.error("dnd.teamInfo", "internal_error")
    summary = dispatch(deps_for(db, standin), later, options=UNPACED)

    assert len(standin.calls("dnd.teamInfo")) == 2  # asked again, and the answer failed
    assert summary.sent == 0
    assert posts(standin) == {}
    held = rows(db)["away:1:U0ANN"]
    assert (held.status, held.due_at) == (OutboxStatus.PENDING, NOW + timedelta(minutes=40))


def test_a_failed_look_up_after_do_not_disturb_ended_sends_at_once(
    db: Database, standin: SlackStandIn
) -> None:
    standin.add_user("U0ANN", tz="UTC")
    standin.set_dnd("U0ANN", NOW + timedelta(minutes=10))
    record(db, [digest("U0ANN")])
    people(db, ["U0ANN"])
    dispatch(deps_for(db, standin), NOW, options=UNPACED)

    later = NOW + timedelta(minutes=20)
    record(db, [Outgoing("away:1:U0ANN", "U0ANN", PartnerAway("U0BEN", "2026-12-07"))], due_at=later)
    standin.error("dnd.teamInfo", "internal_error")
    dispatch(deps_for(db, standin), later, options=UNPACED)

    assert posts(standin) == {"digest:U0ANN:2026-11-23": 1, "away:1:U0ANN": 1}
