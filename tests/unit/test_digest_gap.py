"""Two digests never come within GAP of each other, which holds back no day's digest where a person stays:
in one zone a day's comes at least GAP after the day before's latest. A date lived again farther west has a
key of its own."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, available_timezones

from circles.domain.digests import GAP, WINDOW, Made, digest_key, not_before

SYDNEY_TUESDAY = datetime(2026, 3, 16, 22, tzinfo=UTC)  # 09:00 on Tuesday 17 March in Sydney


def test_in_every_zone_a_days_digest_comes_at_least_gap_after_the_day_befores_latest() -> None:
    for name in sorted(available_timezones()):
        zone = ZoneInfo(name)
        for at in (time(0), time(9), time(22)):
            day = date(2026, 1, 1)
            while day < date(2027, 1, 1):
                latest = datetime.combine(day, at, tzinfo=zone) + WINDOW
                following = datetime.combine(day + timedelta(days=1), at, tzinfo=zone)
                assert following.astimezone(UTC) - latest.astimezone(UTC) >= GAP, (name, day, at)
                day += timedelta(days=1)


def test_a_digest_waits_until_gap_after_the_last_that_went_or_may_go() -> None:
    sent = Made("digest:U0COACH:2026-03-17", SYDNEY_TUESDAY, going=True)
    superseded = Made("digest:U0COACH:2026-03-18", SYDNEY_TUESDAY + timedelta(hours=2), going=False)
    later = SYDNEY_TUESDAY + timedelta(minutes=30)
    assert not_before([sent, superseded], later) == SYDNEY_TUESDAY + GAP
    assert not_before([superseded], later) is None
    assert not_before([sent], SYDNEY_TUESDAY + GAP) is None


def test_the_same_date_lived_again_farther_west_has_its_own_key_and_the_same_day_never_does() -> None:
    sydney = [Made("digest:U0COACH:2026-03-17", SYDNEY_TUESDAY, going=True)]
    tuesday = date(2026, 3, 17)
    assert digest_key("U0COACH", "America/Los_Angeles", tuesday, sydney) == (
        "digest:U0COACH:America/Los_Angeles:2026-03-17"
    )
    assert digest_key("U0COACH", "Australia/Sydney", tuesday, sydney) == "digest:U0COACH:2026-03-17"
    assert digest_key("U0COACH", "Australia/Sydney", tuesday, []) == "digest:U0COACH:2026-03-17"
