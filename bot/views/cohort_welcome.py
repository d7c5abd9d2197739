"""The welcome of someone another person added to a cohort: what it is, who runs it, who sees what, how to
leave. It names the cohort's facilitators and nobody else of the cohort."""

from __future__ import annotations

from slack_sdk.models.blocks import Block, HeaderBlock

from bot.views.message import Message, text_section
from bot.views.text import fit_mrkdwn, fit_plain, mentions, mrkdwn
from circles.domain.cohort_rules import WEEKDAYS
from circles.domain.vocabulary import PairingMode, Role
from circles.messages import CohortWelcome

NAME_SHOWN = 300  # the cohort's name, escaped: each section stays far inside Slack's 3,000 characters
HEADER_MAX = 150  # Slack's limit for a header's text

GUIDES = {PairingMode.COACH_LEARNER: "coach", PairingMode.MENTOR_LEARNER: "mentor"}


def cohort_welcome_message(welcome: CohortWelcome) -> Message:
    """The private message a person added to a cohort by someone else receives, once per membership."""
    name, slug = fit_mrkdwn(welcome.cohort_name, NAME_SHOWN), mrkdwn(welcome.slug)
    added = f"You've been added to *{name}* (`{slug}`) as a {welcome.role.value}."
    blocks: list[Block] = [
        HeaderBlock(text=fit_plain(f"Welcome to {welcome.cohort_name}", HEADER_MAX)),
        text_section(f"{added} {_run_by(welcome)}"),
        text_section("*What happens*\n" + " ".join(_what_happens(welcome))),
        text_section("*Who sees what*\n" + " ".join(_who_sees_what(welcome))),
        text_section(
            f"*If you need anything*\nQuestions, or something not working? {_support(welcome)} "
            "Tell others a little about yourself with `/circles profile`. "
            f"If this isn't for you, `/circles leave {slug}` takes you out at any time, no reason needed."
        ),
    ]
    return Message(text=f"Welcome to {name}: what it is, who runs it and who sees what", blocks=blocks)


def _run_by(welcome: CohortWelcome) -> str:
    if not welcome.facilitators:
        return "Its facilitators have not been named yet."
    people = mentions([host.user_id for host in welcome.facilitators])
    runs = "runs it" if len(welcome.facilitators) == 1 else "run it"
    return f"{people} {runs} as its facilitator{'' if len(welcome.facilitators) == 1 else 's'}."


def _support(welcome: CohortWelcome) -> str:
    if not welcome.facilitators:
        return (
            "Once its facilitators are named, `/circles support` reaches them privately; until then, "
            "contact whoever runs your programme directly."
        )
    return "`/circles support` reaches your facilitators privately."


def _what_happens(welcome: CohortWelcome) -> list[str]:
    day = WEEKDAYS[welcome.prompt_weekday]
    said = [f"Each {day}, you and a small circle of colleagues get a reflection prompt to talk over."]
    partnered = _partnership(welcome)
    if partnered is None:
        return said
    every = "week" if welcome.checkin_every_weeks == 1 else f"{welcome.checkin_every_weeks} weeks"
    return [
        *said,
        partnered,
        f"Every {every}, Circles sends you a short private check-in about your partnership: "
        "how it is going (1–5), whether you met, and an optional note.",
    ]


def _partnership(welcome: CohortWelcome) -> str | None:
    if welcome.pairing is PairingMode.NONE:
        return None
    if welcome.pairing is PairingMode.PEER:
        return "You may also be paired with a peer for one-to-one conversations."
    guide = GUIDES[welcome.pairing]
    if welcome.role is Role.LEARNER:
        return f"You'll also be paired with a {guide}."
    return f"You'll also {guide} one or more learners, one to one."


def _who_sees_what(welcome: CohortWelcome) -> list[str]:
    said = []
    if welcome.pairing is not PairingMode.NONE:
        said.append(
            "Your partner never sees your check-in answers. Your ratings go only to the cohort's "
            "facilitators, and a note reaches them only if you choose to share it."
        )
    said.append(
        "Nothing of yours is used for research unless you agree, and it is off until you do: "
        "`/circles consent` shows what it means and lets you choose."
    )
    return said
