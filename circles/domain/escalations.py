"""When a partnership's health calls for its facilitators, and when an unanswered alert is followed up."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from enum import StrEnum

from circles.domain.cohort_settings import HealthThresholds
from circles.domain.vocabulary import PartnershipHealthState

STRUGGLING = PartnershipHealthState.STRUGGLING
NEEDS_ATTENTION = PartnershipHealthState.NEEDS_ATTENTION
SNOOZE_DAYS = (1, 3, 7, 14)
COMMENT_LIMIT = 1000


class Outcome(StrEnum):
    """How a facilitator closed an escalation."""

    RECONNECTED = "reconnected"
    REMATCHED = "rematched"
    ENDED = "ended"
    NO_ACTION = "no_action"


class Action(StrEnum):
    """What the audit trail records: the app's own steps, then what facilitators did."""

    OPENED = "opened"
    REMINDED = "reminded"
    SENT_TO_ADMINS = "sent_to_admins"
    RESURFACED = "resurfaced"
    RELEASED = "released"  # open again: whoever had said "I'll reach out" no longer facilitates the cohort
    CLAIMED = "claimed"
    SNOOZED = "snoozed"
    RESOLVED = "resolved"
    PAUSED_PARTNERSHIP = "paused_partnership"
    ENDED_PARTNERSHIP = "ended_partnership"
    SUGGESTED_REMATCH = "suggested_rematch"


APP_ACTOR = "circles"  # the actor of the app's own steps in the audit trail


class FollowUp(StrEnum):
    """The steps taken when nobody picks an escalation up, in order; each is taken once per sending."""

    REMIND = "remind"  # sent again to the cohort's facilitators
    ADMINS = "admins"  # then to the workspace's admins


def calls_for_facilitators(state: str, attention_streak: int, thresholds: HealthThresholds) -> bool:
    """Struggling at once; needs attention only after the cohort's number of check-ins in a row."""
    if state == STRUGGLING:
        return True
    return state == NEEDS_ATTENTION and attention_streak >= thresholds.attention_checkins_before_escalation


def recurred(
    resolved_at: datetime,
    changed_on: date | None,
    now: datetime,
    checkin_every: timedelta,
    answered_at: datetime | None = None,
) -> bool:
    """A resolved concern counts again only on evidence newer than the resolution.

    Health keeps its state until the next check-in, so reopening on the next pass would undo the
    facilitator's resolution; a check-in answered after it (`answered_at`, the pair's newest answer), a
    change of health on a later day (`changed_on`), or a whole check-in period without either, is new.
    A check-in that finds the pair struggling for the same reasons changes nothing in its health's
    history, but it is new all the same.
    """
    if answered_at is not None and answered_at > resolved_at:
        return True
    if changed_on is not None and changed_on > resolved_at.date():
        return True
    return now >= resolved_at + checkin_every


def follow_up_due(sent_at: datetime, steps_taken: int, hours: int, now: datetime) -> FollowUp | None:
    """The next step for an escalation nobody picked up since it was last sent, if its time has come."""
    if now < sent_at + timedelta(hours=hours):
        return None
    if steps_taken == 0:
        return FollowUp.REMIND
    if steps_taken == 1:
        return FollowUp.ADMINS
    return None


def parse_snooze_days(text: str) -> int | None:
    """One of the offered snooze lengths, or None for anything else."""
    return next((days for days in SNOOZE_DAYS if text == str(days)), None)


def parse_outcome(text: str) -> Outcome | None:
    try:
        return Outcome(text)
    except ValueError:
        return None
