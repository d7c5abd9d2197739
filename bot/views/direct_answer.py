"""The private answer to anything typed in the app's DM: not read here, and who will read it instead."""

from __future__ import annotations

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    MarkdownTextObject,
    SectionBlock,
)

from bot import ids
from bot.views.message import Message, context_line, text_section
from bot.views.support_form import support_value
from bot.views.support_whom import RUNNERS
from bot.views.text import fit_mrkdwn, mrkdwn, slack_length
from circles.domain.care import DEFAULT_FREE_TEXT_HINT, DEFAULT_WELLBEING_RESOURCES
from circles.messages import CohortCare, DirectAnswer
from circles.services.support.form import SupportAbout

SECTION_MAX = 3000  # Slack's limit for a section's text, escapes counted
RESOURCES_SHOWN = 5  # different wordings, one section each; a person is rarely in more cohorts

NOT_READ = (
    "*Thank you for writing. I'm an app, and I don't read messages typed here*: nobody sees them "
    "here, and no copy of them is kept."
)
NO_COHORT = (
    "You are not in a Circles cohort here yet. To find your programme, ask whoever runs it (your "
    "programme lead or education office) for its cohort's name, then type `/circles join &lt;cohort&gt;`."
)
ASK_WHO_RUNS_IT = "Ask whoever runs your programme (your programme lead or education office)."
HELP = "`/circles help` shows what you can do with Circles."
BUTTON = "Message my facilitators"
ONLY_THEY = "only they see what you write, and they usually reply within two working days."
NAMES_MAX = 1500  # of a section's 3000, for the names of cohorts in one sentence


def direct_answer_message(answer: DirectAnswer) -> Message:
    """Not read here; how to reach the person's facilitators (or that nobody can be reached yet), the
    cohorts they run themselves, and where to turn if it cannot wait."""
    heard = [cohort for cohort in answer.cohorts if not cohort.unheard]
    unheard = [cohort for cohort in answer.cohorts if cohort.unheard]
    blocks: list[Block] = [
        SectionBlock(block_id=ids.DIRECT_ANSWER_BLOCK, text=MarkdownTextObject(text=NOT_READ))
    ]
    if heard:
        about = SupportAbout(cohort_slug=heard[0].slug) if len(heard) == 1 else SupportAbout()
        blocks += [
            text_section(_reach(heard)),
            ActionsBlock(
                block_id=ids.DIRECT_ANSWER_ACTIONS,
                elements=[
                    ButtonElement(
                        text=BUTTON,
                        action_id=ids.SUPPORT_OPEN,
                        value=support_value(about),
                        style="primary",
                    )
                ],
            ),
        ]
    if unheard:
        blocks.append(text_section(_unheard(unheard)))
    if answer.runs:
        blocks.append(text_section(_runs(answer)))
    if not answer.cohorts and not answer.runs:
        blocks.append(text_section(NO_COHORT))
    blocks += [text_section(text) for text in _resources(answer)]
    blocks.append(context_line(HELP))
    return Message(
        text="I don't read messages typed here: this is how to reach your facilitators.", blocks=blocks
    )


def unrecorded_answer_message() -> Message:
    """The answer when the usual one cannot be made (the database is down): not read, how to reach the
    facilitators, and where to turn, in the default words."""
    blocks: list[Block] = [
        SectionBlock(block_id=ids.DIRECT_ANSWER_BLOCK, text=MarkdownTextObject(text=NOT_READ)),
        text_section(
            "To reach your facilitators privately, type `/circles support` followed by your message: only "
            f"they see it (or, when none of them can take it, {RUNNERS}). {DEFAULT_FREE_TEXT_HINT}"
        ),
        text_section(_within("*If it can't wait*\n", DEFAULT_WELLBEING_RESOURCES)),
        context_line(HELP),
    ]
    return Message(
        text="I don't read messages typed here: this is how to reach your facilitators.", blocks=blocks
    )


def _reach(heard: list[CohortCare]) -> str:
    """How to reach who would hear them, as a request would be sent: their facilitators, or the people who
    run Circles where no facilitator may (never why)."""
    runners = [cohort for cohort in heard if cohort.to_admins]
    whose = f"*{mrkdwn(heard[0].name)}*" if len(heard) == 1 else "the cohort you choose"
    if not runners:
        return f"To reach the facilitators of {whose} privately, use *{BUTTON}*: {ONLY_THEY}"
    if len(runners) == len(heard):
        return f"{_missed(runners)} To reach {RUNNERS} privately instead, use *{BUTTON}*: {ONLY_THEY}"
    there = "that cohort" if len(runners) == 1 else "those cohorts"
    return (
        f"To reach the facilitators of the cohort you choose privately, use *{BUTTON}*. {_missed(runners)} "
        f"For {there}, what you write goes privately to {RUNNERS} instead. Only the people it goes to see "
        "it, and they usually reply within two working days."
    )


def _missed(cohorts: list[CohortCare]) -> str:
    """That no facilitator of these cohorts can take it: that there are none, or (never why) none may."""
    names, one = _names([c.name for c in cohorts], NAMES_MAX), len(cohorts) == 1
    if not any(cohort.kept for cohort in cohorts):
        return f"{names} {'has' if one else 'have'} no facilitator yet."
    return f"No facilitator of {names} can take a message from you just now."


def _unheard(cohorts: list[CohortCare]) -> str:
    """That nobody can receive their message there: no facilitator, or none who may hear them (never why)."""
    kept, none = [c for c in cohorts if c.kept], [c for c in cohorts if not c.kept]
    limit = NAMES_MAX // (bool(kept) + bool(none))
    said = []
    if none:
        have = "it has" if len(none) == 1 else "they have"
        names = _names([c.name for c in none], limit)
        said.append(f"Nobody can receive a message through Circles for {names} yet: {have} no facilitator.")
    if kept:
        theirs = "its" if len(kept) == 1 else "their"
        names = _names([c.name for c in kept], limit)
        said.append(
            f"Nobody can receive a message through Circles for {names} yet: none of {theirs} facilitators "
            "can take one from you."
        )
    return " ".join([*said, ASK_WHO_RUNS_IT])


def _runs(answer: DirectAnswer) -> str:
    """The cohorts the person facilitates, and where to look after them."""
    runs, more = answer.runs, answer.more_runs
    if len(runs) == 1 and not more:
        health = mrkdwn(f"`/circles health {runs[0].slug}`")
        return f"You facilitate {_names([runs[0].name])}: {health} shows how its partnerships are doing."
    others = f" and {more} more" if more else ""
    return (
        f"You facilitate {_names([c.name for c in runs])}{others}: "
        "`/circles health &lt;cohort&gt;` shows how a cohort's partnerships are doing."
    )


def _names(names: list[str], limit: int = NAMES_MAX) -> str:
    """Cohort names in bold, escaped and cut to share a section with a sentence around them."""
    return f"*{fit_mrkdwn(', '.join(names), limit)}*"


def _resources(answer: DirectAnswer) -> list[str]:
    """Where to turn if it cannot wait: each different wording once, named by cohort when they differ."""
    cohorts = answer.cohorts
    wordings = list(dict.fromkeys(c.resources or answer.resources for c in cohorts))
    if not cohorts or len(wordings) == 1:
        only = wordings[0] if cohorts else answer.resources
        return [_within("*If it can't wait*\n", only)] if only else []
    shown = []
    for wording in wordings[:RESOURCES_SHOWN]:
        names = ", ".join(c.name for c in cohorts if (c.resources or answer.resources) == wording)
        shown.append(_within(f"*If it can't wait* ({fit_mrkdwn(names, 200)})\n", wording))
    return shown


def _within(heading: str, text: str) -> str:
    """Heading and escaped text in one section, the text shortened after escaping when it is too long."""
    return heading + fit_mrkdwn(text, SECTION_MAX - slack_length(heading))
