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
from bot.views.text import fit_mrkdwn, mrkdwn, slack_length
from circles.domain.care import DEFAULT_WELLBEING_RESOURCES
from circles.messages import DirectAnswer
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
        whose = f"*{mrkdwn(heard[0].name)}*" if len(heard) == 1 else "the cohort you choose"
        blocks += [
            text_section(
                f"To reach the facilitators of {whose} privately, use *Message my facilitators*: "
                "only they see what you write, and they usually reply within two working days."
            ),
            ActionsBlock(
                block_id=ids.DIRECT_ANSWER_ACTIONS,
                elements=[
                    ButtonElement(
                        text="Message my facilitators",
                        action_id=ids.SUPPORT_OPEN,
                        value=support_value(about),
                        style="primary",
                    )
                ],
            ),
        ]
    if unheard:
        names, one = _names([c.name for c in unheard]), len(unheard) == 1
        blocks.append(
            text_section(
                f"Nobody can receive a message through Circles for {names} yet: "
                f"{'it has' if one else 'they have'} no facilitator. {ASK_WHO_RUNS_IT}"
            )
        )
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
            "To reach your facilitators privately, type `/circles support` followed by your message: "
            "only they see it."
        ),
        text_section(_within("*If it can't wait*\n", DEFAULT_WELLBEING_RESOURCES)),
        context_line(HELP),
    ]
    return Message(
        text="I don't read messages typed here: this is how to reach your facilitators.", blocks=blocks
    )


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


def _names(names: list[str]) -> str:
    """Cohort names in bold, escaped and cut to share a section with a sentence around them."""
    return f"*{fit_mrkdwn(', '.join(names), NAMES_MAX)}*"


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
