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
HELP = "`/circles help` shows what you can do with Circles."


def direct_answer_message(answer: DirectAnswer) -> Message:
    """Not read here; how to reach the person's facilitators, and where to turn if it cannot wait."""
    cohorts = answer.cohorts
    blocks: list[Block] = [
        SectionBlock(block_id=ids.DIRECT_ANSWER_BLOCK, text=MarkdownTextObject(text=NOT_READ))
    ]
    if cohorts:
        about = SupportAbout(cohort_slug=cohorts[0].slug) if len(cohorts) == 1 else SupportAbout()
        whose = f"*{mrkdwn(cohorts[0].name)}*" if len(cohorts) == 1 else "the cohort you choose"
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
    else:
        blocks.append(text_section(NO_COHORT))
    blocks += [text_section(text) for text in _resources(answer)]
    blocks.append(context_line(HELP))
    return Message(
        text="I don't read messages typed here: this is how to reach your facilitators.", blocks=blocks
    )


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
