"""Why nothing can reach a person for the whole coming week, so Home can say it in one line."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from enum import StrEnum

from circles.domain.availability.absence import BLOCKS
from circles.domain.availability.quiet import QuietHours
from circles.domain.availability.reach import Reach, next_window

WEEK = timedelta(days=7)


class Unreached(StrEnum):
    AWAY = "away"  # time away (their own, a rotation or leave): Home already says until when
    SLACK = "slack"  # Do Not Disturb or an out-of-office status in Slack
    OWN_QUIET = "own_quiet"  # their own quiet hours cover all of their working hours
    QUIET = "quiet"  # their cohorts' quiet hours do, on the dates they work
    NOT_WORKING = "not_working"  # no working hours in the week (days off for some dates)


def unreached_for_a_week(reach: Reach, now: datetime) -> Unreached | None:
    """None when a window opens within a week of `now`; else what keeps it shut, the lasting reason
    (their hours) before a passing one (time away)."""
    if next_window(reach, now, look_ahead=WEEK) is not None:
        return None
    always = replace(reach, absences=())
    if next_window(always, now, look_ahead=WEEK) is None:
        if next_window(replace(always, quiet=QuietHours()), now, look_ahead=WEEK) is None:
            return Unreached.NOT_WORKING
        return Unreached.QUIET if reach.cohorts_quiet else Unreached.OWN_QUIET
    ends = now + WEEK
    if any(
        a.kind in BLOCKS and a.starts_at < ends and (a.ends_at is None or a.ends_at > now)
        for a in reach.absences
    ):
        return Unreached.AWAY
    return Unreached.SLACK
