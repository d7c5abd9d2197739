"""What of a message made earlier is still true when it goes (pure): a digest keeps the pairs still running
and the requests still waiting; a message is looked at again once it waited."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from circles.domain.digests import DigestSection
from circles.domain.nudges import Nudge, NudgeKind
from circles.domain.stale import FRESH_FOR, about_partner, still_true, waited

MONDAY_9 = datetime(2027, 1, 11, 9, tzinfo=UTC)
SPRING = DigestSection(
    "Spring",
    (
        Nudge(NudgeKind.NO_MEETING, "U0A", 15),
        Nudge(NudgeKind.CHECKIN_WAITING, "U0B", 1),
        Nudge(NudgeKind.REQUEST_WAITING, None, 2),
    ),
)
AUTUMN = DigestSection("Autumn", (Nudge(NudgeKind.NO_MEETING, "U0C", 20),))


def test_a_digest_still_true_is_kept_as_it_was() -> None:
    partners = {"Spring": {"U0A", "U0B"}, "Autumn": {"U0C"}}
    assert still_true([SPRING, AUTUMN], partners, {"Spring": 2}) == (SPRING, AUTUMN)


def test_a_digest_loses_the_partners_no_more_and_the_cohorts_left() -> None:
    kept = still_true([SPRING, AUTUMN], {"Spring": {"U0B"}}, {"Spring": 2})
    assert kept == (DigestSection("Spring", SPRING.nudges[1:]),)


def test_a_digest_counts_the_requests_waiting_now() -> None:
    [section] = still_true([SPRING], {"Spring": set()}, {"Spring": 1})
    assert section.nudges == (Nudge(NudgeKind.REQUEST_WAITING, None, 1),)
    assert still_true([SPRING], {"Spring": set()}, {}) == ()


def test_a_notice_names_the_partner_it_is_about() -> None:
    assert about_partner("partner_away", {"away_user_id": "U0A", "until": "2027-01-25"}) == "U0A"
    assert about_partner("partner_back", {"back_user_id": "U0B"}) == "U0B"
    assert about_partner("partner_back", {"back_user_id": 7}) is None
    assert about_partner("checkin", {"away_user_id": "U0A"}) is None


def test_a_message_waited_when_held_tried_or_going_late() -> None:
    assert not waited(MONDAY_9, False, False, MONDAY_9 + FRESH_FOR)
    assert waited(MONDAY_9, False, False, MONDAY_9 + FRESH_FOR + timedelta(seconds=1))
    assert waited(MONDAY_9, True, False, MONDAY_9)
    assert waited(MONDAY_9, False, True, MONDAY_9)
