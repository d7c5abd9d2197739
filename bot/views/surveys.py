"""A survey in the member's DM (with its one reminder), what it becomes once answered, and its form."""

from __future__ import annotations

from slack_sdk.models.blocks import ActionsBlock, Block, ButtonElement, MarkdownTextObject, SectionBlock

from bot import ids
from bot.views.message import Message, context_line, text_section
from bot.views.text import clip_mrkdwn, counted, mrkdwn
from circles.domain.text import row_id
from circles.domain.vocabulary import SurveyPhase
from circles.messages import SurveyInvite
from circles.services.surveys.answers import SurveyAnswered
from instruments.model import Instrument

PHASE_WORDS = {
    SurveyPhase.BASELINE: "at the start of your programme",
    SurveyPhase.MIDPOINT: "half-way through your programme",
    SurveyPhase.END: "as your programme ends",
}
# The research export goes to a facilitator who asks for it, with each consenting member's answers under a
# code: the invitation says so, rather than promising more than a pseudonym gives in a small cohort.
WHO_SEES = (
    "Private: your answers are never shown to your partners or to anyone in your cohort. In Slack your "
    "facilitators see only how many people answered, never yours. If you agreed to research use "
    "(`/circles consent`), your answers are in the cohort's research export under a code, not your name."
)


def parse_request_id(value: object) -> int | None:
    return row_id(value)


def invite_message(invite: SurveyInvite, survey: Instrument, *, reminder: bool = False) -> Message:
    """The survey in the DM: what it is, how long, who sees it, and a button that opens it."""
    count = len(survey.items)
    questions = f"{counted(count, 'question')}"
    lead = "A reminder, in case it slipped by: " if reminder else ""
    title = f"Survey · {mrkdwn(invite.cohort_name)}: {mrkdwn(survey.title)}"
    text = clip_mrkdwn(f"{lead}{title} ({questions})", 3000)  # the title is escaped already
    body = clip_mrkdwn(
        f"*{title}*\n{lead}{questions} {PHASE_WORDS[invite.phase]}, a few minutes at most.\n\n"
        f"{mrkdwn(survey.description)}",
        3000,
    )
    button = ButtonElement(
        text="Answer", action_id=ids.SURVEY_OPEN, value=str(invite.request_id), style="primary"
    )
    blocks: list[Block] = [
        text_section(body),
        ActionsBlock(block_id=ids.SURVEY_INVITE_BLOCK, elements=[button]),
        context_line(WHO_SEES),
    ]
    return Message(text=text, blocks=blocks)


def answered_message(done: SurveyAnswered) -> Message:
    """What the DM becomes once answered: thanks, and no button left to press."""
    title = f"Survey · {mrkdwn(done.survey.cohort_name)}: {mrkdwn(done.survey.instrument.title)}"
    words = f"*{title}* — answered, thank you."
    if not done.texts_saved:
        words += (
            "\n:warning: Your written answers were not kept: this Circles has no key to keep them secret "
            "yet. "
            "Your other answers were saved."
        )
    section = SectionBlock(
        block_id=ids.SURVEY_DONE_BLOCK, text=MarkdownTextObject(text=clip_mrkdwn(words, 3000))
    )
    return Message(
        text=clip_mrkdwn(f"{title}: answered, thank you.", 3000), blocks=[section, context_line(WHO_SEES)]
    )


def closed_message(reason: str) -> Message:
    """A survey that can no longer be answered, the reason in place of its button."""
    section = SectionBlock(
        block_id=ids.SURVEY_DONE_BLOCK, text=MarkdownTextObject(text=f"*Survey.* {reason}")
    )
    return Message(text="Survey closed.", blocks=[section])
