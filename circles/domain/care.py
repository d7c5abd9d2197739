"""Words of care a cohort may change: the hint on free-text inputs and where to turn when it cannot wait."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from circles.domain.text import slack_length

DEFAULT_FREE_TEXT_HINT = "Please don't include patient information."
DEFAULT_WELLBEING_RESOURCES = (
    "If you are struggling, your staff wellbeing or employee assistance service is there for you; "
    "in an emergency, call your local emergency number."
)
# The hint shows under every free-text input, so it stays one short line.
FREE_TEXT_HINT_MAX = 150
WELLBEING_RESOURCES_MAX = 1000
# How every answer's key begins. A key holds a second answer off for its minute only, and tells when someone
# wrote: once the minute is long over and the answer is done with (sent, or never to be), it is forgotten.
DIRECT_ANSWERS = "dm-answer:"
ANSWER_KEPT = timedelta(minutes=5)  # a minute, and room for clocks a little apart


def cleaned_hint(text: str | None) -> str | None:
    """The hint as stored: one line, spaces collapsed; None (the default wording) when empty."""
    words = " ".join((text or "").split())
    return words or None


def cleaned_resources(text: str | None) -> str | None:
    """The resources as stored: stripped, line breaks kept; None (the default wording) when empty."""
    stripped = (text or "").strip()
    return stripped or None


def wording_problems(free_text_hint: str | None, wellbeing_resources: str | None) -> dict[str, str]:
    """Each wording that is too long to show, keyed like the cohort's settings."""
    problems = {}
    # Counted as Slack's forms count, an emoji twice: a longer wording would not open in the settings form.
    if slack_length(cleaned_hint(free_text_hint) or "") > FREE_TEXT_HINT_MAX:
        problems["free_text_hint"] = (
            f"Keep the hint to {FREE_TEXT_HINT_MAX} characters: it shows under every text box."
        )
    if slack_length(cleaned_resources(wellbeing_resources) or "") > WELLBEING_RESOURCES_MAX:
        problems["wellbeing_resources"] = (
            f"Keep the wellbeing resources to {WELLBEING_RESOURCES_MAX} characters."
        )
    return problems


def free_text_hint(stored: str | None) -> str:
    """The hint a cohort's forms show: its own wording, or the default."""
    return cleaned_hint(stored) or DEFAULT_FREE_TEXT_HINT


def wellbeing_resources(stored: str | None) -> str:
    """Where a cohort's members can turn when it cannot wait: its own wording, or the default."""
    return cleaned_resources(stored) or DEFAULT_WELLBEING_RESOURCES


def shared_hint(stored: list[str | None]) -> str:
    """The hint for a form not tied to one cohort: the cohorts' own when they all agree, else the default."""
    hints = {free_text_hint(hint) for hint in stored}
    return hints.pop() if len(hints) == 1 else DEFAULT_FREE_TEXT_HINT


def direct_answer_key(user_id: str, now: datetime) -> str:
    """The outbox key of the answer to a message typed in the app's DM: one per person per minute.

    However many messages someone types within one minute (UTC), they get one answer; the next minute
    they get another, so nobody who writes again is left unanswered for long.
    """
    minute = (now.astimezone(UTC) if now.tzinfo else now).strftime("%Y-%m-%dT%H:%M")
    return f"{direct_answers_to(user_id)}{minute}"


def direct_answers_to(user_id: str) -> str:
    """How the outbox keys of every answer to what this person typed begin: erasure deletes them all, since
    when someone wrote to the app (at night, say) is theirs."""
    return f"{DIRECT_ANSWERS}{user_id}:"
