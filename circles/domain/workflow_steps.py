"""What a Workflow Builder step may be given: the rules its inputs must meet, before anything is looked up."""

from __future__ import annotations

import re
from typing import Final

from circles.domain.text import clean_typed, shows_nothing
from circles.domain.vocabulary import Role

# A facilitator reads the whole note, escaped, over as many Block Kit sections as it takes.
STEP_TEXT_MAX: Final = 2000
USER_ID: Final = re.compile(r"[UW][A-Z0-9]{2,20}")
ROLE_NAMES: Final = ", ".join(role.value for role in Role)


class StepInputProblem(ValueError):
    """An input the workflow gave that no step could use; the text is one line for the workflow's builder.

    It never quotes what the workflow's builder typed: that stays out of logs and Slack's run history.
    """


def person_input(value: object) -> str:
    """A Slack user ID, as Workflow Builder passes a person."""
    if not isinstance(value, str) or not USER_ID.fullmatch(value):
        raise StepInputProblem("The person is missing or not a Slack user; choose someone in this workspace.")
    return value


def slug_input(value: object) -> str:
    """A cohort's short name, as its facilitators typed it in `/circles cohort create`."""
    if not isinstance(value, str) or not value.strip():
        raise StepInputProblem("The cohort is missing; give its short name, as in `/circles join <cohort>`.")
    return value.strip().lower()


def role_input(value: object) -> Role:
    """One of the member roles, in any case."""
    text = value.strip().lower() if isinstance(value, str) else ""
    for role in Role:
        if role.value == text:
            return role
    raise StepInputProblem(f"Unknown role: use one of {ROLE_NAMES}.")


def text_input(value: object) -> str:
    """The builder's words for the facilitators, cleaned as all typed text is: something that shows, and
    short enough to be read in one message."""
    text = clean_typed(value).strip() if isinstance(value, str) else ""
    if not text or shows_nothing(text):  # Hangul fillers, blank Braille, a lone mark: nothing to read
        raise StepInputProblem("The message is empty; write what the facilitators should read.")
    if len(text) > STEP_TEXT_MAX:
        raise StepInputProblem(f"The message has {len(text)} characters; at most {STEP_TEXT_MAX} fit.")
    return text
