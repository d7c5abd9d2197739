"""A pair's conversation starter is planned at the cohort's prompt time, up to a day ahead. Once the pair
has ended (a partner left the cohort, and perhaps had their data erased, or ended it themselves), the one
already planned is not sent into the conversation of the pair that is no more; other pairs' and the
circle's prompts still go. On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

from circles.persistence.db import Database
from circles.services.outbox.queue import claim_due
from circles.services.partnerships.changes import end_partnership
from circles.services.people.erasure import erase_personal_data
from circles.services.people.membership import leave
from circles.services.planning import plan
from tests.integration.planning_world import GRACE
from tests.integration.test_planning import standard, utc

PLANNED = utc(2026, 3, 9, 12, 30)  # the prompts of 9:00 in New York (13:00 UTC) are planned
LEFT = utc(2026, 3, 9, 12, 45)
AFTER = utc(2026, 3, 9, 14)


def planned(db: Database) -> int:
    """The New York cohort of test_planning with its Monday planned; returns the pair's id."""
    _, _, pair, _, _ = standard(db)
    with db.unit_of_work() as uow:
        assert plan(uow.session, PLANNED, grace=GRACE).planned["pair_prompt"] == 1
        uow.commit()
    return pair.id


def sent_after(db: Database) -> list[tuple[str, str | None]]:
    claimed = claim_due(db.unit_of_work(), AFTER, limit=100, claim_for=timedelta(minutes=5))
    return sorted((row.key, row.channel) for row in claimed)


def test_a_coach_who_left_and_was_erased_is_sent_no_starter_in_the_pair_conversation(db: Database) -> None:
    pair = planned(db)
    leave(db.unit_of_work(), "T0001", "pgy1", "U0COACH", LEFT)
    assert erase_personal_data(db.unit_of_work(), "T0001", "U0COACH", LEFT) is True

    going = sent_after(db)

    assert [key for key, _ in going if key.startswith(f"pair_prompt:{pair}:")] == []
    assert [key for key, channel in going if channel == "G0PAIR1"] == []
    assert [channel for key, channel in going if key.startswith("circle_prompt:")] == ["C0CIRCLE1"]


def test_a_pair_ended_by_a_partner_gets_no_starter_that_was_planned_before(db: Database) -> None:
    pair = planned(db)
    end_partnership(db.unit_of_work(), "T0001", "U0LEARN", pair, "", LEFT, request_key="end-1")

    going = sent_after(db)

    assert [key for key, channel in going if channel == "G0PAIR1"] == []
