"""How the report says things to people: one label per figure and column, percentages with their counts."""

from __future__ import annotations

from datetime import timedelta
from enum import Enum

from circles.domain.health import NOT_ASSESSED_WORDS, STATE_WORDS
from circles.domain.research.suppression import K
from circles.domain.vocabulary import PartnershipHealthState as State

FEWER = f"fewer than {K}"

# Every field name a table or figure uses, as a person reads it; the CSV files keep the field names.
LABELS: dict[str, str] = {
    **{state.value: words.title for state, words in STATE_WORDS.items()},
    "not_assessed": NOT_ASSESSED_WORDS.title,
    "figure": "Figure",
    "value": "Value",
    "cohort": "Cohort",
    "generated_at": "As of",
    "time_zone": "Time zone",
    "week": "Week starting",
    "role": "Role",
    "active": "Active",
    "paused": "Paused",
    "left": "Left",
    "total": "Total",
    "joined": "Joined",
    "members": "Members",
    "due": "Check-ins due",
    "answered": "Answered",
    "rate": "Engagement",
    "engagement": "Engagement",
    "mean_rating": "Mean rating (1–5)",
    "running": "Running",
    "opened": "Escalations opened",
    "claimed": "Taken up",
    "resolved": "Resolved",
    "median_claim": "Median time to take up",
    "outcome": "Outcome",
    "partnerships": "Partnerships",
    "ended_early": "Ended early",
    "completed": "Completed",
    "no_fault": "No-fault ending",
    "member_left": "Member left",
    "rematched": "Re-matched",
    "facilitator": "Ended by a facilitator",
    "unrecorded": "No reason recorded",
    "name": "Name",
    "round": "Round",
    "formed_on": "Formed on",
    "dissolved_on": "Dissolved on",
    "prompts_sent": "Prompts delivered",
    "prompts_missed": "Prompts missed",
    "prompts_failed": "Prompts refused by Slack",
    "prompts_waiting": "Prompts waiting",
    "partnership_id": "Partnership",
    "kind": "Kind",
    "first_user_id": "First member",
    "second_user_id": "Second member",
    "status": "Status",
    "end_reason": "How it ended",
    "started_on": "Started on",
    "ended_on": "Ended on",
    "state": "Health",
    "reasons": "Why",
    "checkins_due": "Check-ins due",
    "checkins_answered": "Check-ins answered",
    "first_latest_rating": "First member's latest rating",
    "second_latest_rating": "Second member's latest rating",
    "shared_notes": "Notes shared with facilitators",
    "notes_unavailable": "Shared notes unavailable",
    "struggling_share": "Struggling",
    "escalations": "Escalations",
}
STATE_ORDER = (State.THRIVING, State.STEADY, State.NEEDS_ATTENTION, State.STRUGGLING)


def label(name: str) -> str:
    """The words for a field name; an unknown one still reads as words, never as a field name."""
    return LABELS.get(name) or name.replace("_", " ").capitalize()


def value_label(value: Enum | str) -> str:
    """An enum's value (a role, a state, an end reason) in words."""
    raw = str(value.value) if isinstance(value, Enum) else value
    return LABELS.get(raw) or raw.replace("_", " ").capitalize()


def unavailable_notes(count: int) -> str:
    """What stands for shared notes that did not open, in the alert card's words: something is missing."""
    notes = "1 shared note" if count == 1 else f"{count} shared notes"
    return f"Unavailable: {notes} could not be opened with the current notes key."


def percent(part: int, whole: int) -> str:
    """'42% (21 of 50)', or '–' when there was nothing to count."""
    if not whole:
        return "–"
    return f"{part / whole:.0%} ({part} of {whole})"


def share(fraction: float | None) -> str:
    """A fraction as a whole percentage, or '–'."""
    return "–" if fraction is None else f"{fraction:.0%}"


def people(count: int) -> str:
    """A count of people as it may be shown: small ones (zero included) as 'fewer than 5'."""
    return FEWER if count < K else str(count)


def rating(mean: float | None) -> str:
    return "–" if mean is None else f"{mean:.1f}"


def duration(span: timedelta | None) -> str:
    """Minutes under an hour, hours under two days, days beyond; '–' for none."""
    if span is None:
        return "–"
    minutes = span.total_seconds() / 60
    if minutes < 60:
        return f"{round(minutes)} min"
    if minutes < 48 * 60:
        return f"{minutes / 60:.1f}".removesuffix(".0") + " h"
    return f"{minutes / 1440:.1f}".removesuffix(".0") + " days"
