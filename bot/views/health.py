"""The facilitator's health board: each partnership with its state and reasons, riskiest first."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import datetime

from slack_sdk.models.blocks import (
    Block,
    ButtonElement,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    SectionBlock,
)
from slack_sdk.models.views import View

from bot import ids
from bot.views.message import Message, context_line, text_section
from bot.views.pages import packed_modal
from bot.views.text import clip_mrkdwn, counted, fit_mrkdwn, fit_plain, mrkdwn
from circles.domain.health import RISKIEST_FIRST, STATE_WORDS
from circles.domain.paging import Turn
from circles.domain.vocabulary import PartnershipHealthState as State
from circles.domain.vocabulary import PartnershipKind, SurveyPhase
from circles.queries.surveys import Rate
from circles.services.health.boards import Board
from circles.services.health.recompute import PartnershipHealth
from instruments.catalog import instrument
from instruments.model import InstrumentError

EMOJI = {
    State.STRUGGLING: ":red_circle:",
    State.NEEDS_ATTENTION: ":large_orange_circle:",
    State.STEADY: ":large_blue_circle:",
    State.THRIVING: ":large_green_circle:",
}
ROLES = {
    PartnershipKind.COACH_LEARNER: ("coach", "learner"),
    PartnershipKind.MENTOR_LEARNER: ("mentor", "learner"),
}
PHASE_NAMES = {SurveyPhase.BASELINE: "Start", SurveyPhase.MIDPOINT: "Half-way", SurveyPhase.END: "End"}
MAX_BLOCKS = 50  # Slack's limit for one message
FRAME = 5  # header, summary, divider, "and more", footer
SHOWN = MAX_BLOCKS - FRAME
SECTION_LIMIT = 3000
FOOTER = (
    "Only the cohort's facilitators can see this. States come from check-in answers and the "
    "cohort's thresholds (`/circles cohort config`); notes are never shown here."
)


def board_message(board: Board) -> Message:
    """The whole board in one private message, within Slack's 50 blocks: the riskiest pairs first."""
    name = mrkdwn(board.cohort_name)
    blocks: list[Block] = [HeaderBlock(text=fit_plain(f"Partnership health: {board.cohort_name}", 150))]
    if not board.rows:
        text = f"*{name}* has no active partnerships yet. Once pairs are matched, their health shows here."
        blocks.append(SectionBlock(block_id=ids.HEALTH_SUMMARY_BLOCK, text=MarkdownTextObject(text=text)))
        blocks += survey_rates(board.surveys)
        return Message(f"{name}: no active partnerships yet.", blocks)
    total = len(board.rows)
    summary = f"{summary_line(board.counts)} — {counted(total, 'partnership')}, riskiest first."
    blocks += [
        SectionBlock(block_id=ids.HEALTH_SUMMARY_BLOCK, text=MarkdownTextObject(text=summary)),
        DividerBlock(),
    ]
    shown = SHOWN - len(survey_rates(board.surveys))  # the survey section takes a pair's place
    blocks += [text_section(row_text(row)) for row in board.rows[:shown]]
    hidden = board.rows[shown:]
    if hidden:
        more = f"…and {len(hidden)} more: {summary_line(Counter(row.state for row in hidden), plain=True)}."
        see_all = ButtonElement(text=f"See all {total}", action_id=ids.HEALTH_SEE_ALL, value=board.slug)
        blocks.append(
            SectionBlock(
                block_id=ids.HEALTH_MORE_BLOCK, text=MarkdownTextObject(text=more), accessory=see_all
            )
        )
    blocks += survey_rates(board.surveys)
    blocks.append(context_line(FOOTER))
    fallback = f"Partnership health of {name}: {summary_line(board.counts, plain=True)}."
    return Message(fallback, blocks)


def board_modal(board: Board, page: Turn | int = 0) -> View:
    """Every partnership of the board, riskiest first, page by page: what the message leaves out.

    A page turned to starts right after the last pair the page before showed, wherever the board (read
    again) has it now: none is passed over when a pair before it ended or changed state meanwhile."""
    return packed_modal(
        title=f"Health: {board.cohort_name}",
        callback_id=ids.HEALTH_LIST_VIEW,
        lines=[summary_line(board.counts), *(row_text(row) for row in board.rows)],
        keys=["", *(str(row.partnership_id) for row in board.rows)],  # the counts are not a pair
        asked=page if isinstance(page, Turn) else Turn(page),
        noun="pairs",
        footer=FOOTER,
        turn=ids.HEALTH_LIST_PAGE,
        key=board.slug,
        block_id=ids.HEALTH_LIST_PAGES_BLOCK,
    )


def summary_line(counts: Counter[State], *, plain: bool = False) -> str:
    """Counts per state, riskiest first, leaving out states nobody is in."""
    parts = []
    for state in RISKIEST_FIRST:
        if counts[state]:
            emoji, words = EMOJI[state], STATE_WORDS[state].counted
            parts.append(f"{counts[state]} {words}" if plain else f"{emoji} {counts[state]} {words}")
    return (", " if plain else " · ").join(parts) or "no partnerships"


def row_text(row: PartnershipHealth) -> str:
    """One partnership: the state as an emoji and a word, the pair, then each reason on its own line."""
    emoji, word = EMOJI[row.state], STATE_WORDS[row.state].title
    lines = [f"{emoji} *{word}* — {pair_text(row)}"]
    lines += away_lines(row)
    lines += [f"• {mrkdwn(_sentence(reason.text))}" for reason in row.reasons]
    if row.attention_streak > 1:
        lines.append(f"_Needing attention at the last {row.attention_streak} check-ins in a row._")
    return clip_mrkdwn("\n".join(lines), SECTION_LIMIT)


def away_lines(row: PartnershipHealth) -> list[str]:
    """Who of the pair is away and until when; never why (leave, rotation or their own choice)."""
    users = (row.first_user_id, row.second_user_id)
    return [
        f"_<@{user}> is away until {_day(back)}._"
        for user, back in zip(users, row.away_until, strict=True)
        if back
    ]


def _day(moment: datetime) -> str:
    """A day Slack shows in each reader's own time zone."""
    return f"<!date^{int(moment.timestamp())}^{{date_short_pretty}}|{moment:%d %b %Y}>"


def pair_text(row: PartnershipHealth) -> str:
    roles = ROLES.get(row.kind)
    if roles is None:
        return f"<@{row.first_user_id}> and <@{row.second_user_id}>"
    return f"<@{row.first_user_id}> ({roles[0]}) with <@{row.second_user_id}> ({roles[1]})"


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def home_summary(board: Board, riskiest: int = 3) -> ContextBlock:
    """A cohort's health at a glance for its facilitator's home tab: counts and the riskiest few pairs."""
    lines = [f"*Partnership health:* {summary_line(board.counts)}"]
    concerned = [row for row in board.rows if row.state in (State.STRUGGLING, State.NEEDS_ATTENTION)]
    for row in concerned[:riskiest]:
        first_reason = fit_mrkdwn(_sentence(row.reasons[0].text), 300) if row.reasons else ""
        lines.append(f"{EMOJI[row.state]} {pair_text(row)}: {first_reason}")
    if board.rows:
        lines.append(f"`/circles health {board.slug}` shows every pair and every reason.")
    text = clip_mrkdwn("\n".join(lines), SECTION_LIMIT)
    return ContextBlock(
        block_id=f"{ids.HOME_HEALTH_BLOCK}:{board.slug}", elements=[MarkdownTextObject(text=text)]
    )


def survey_rates(rates: Sequence[Rate]) -> list[Block]:
    """How many answered each survey, by phase: one short section, or none before any survey was sent."""
    if not rates:
        return []
    lines = [
        f"{PHASE_NAMES[r.phase]} · {mrkdwn(_title(r.instrument))}: {r.answered} of {r.sent} answered"
        f" ({round(100 * r.answered / r.sent)}%)"
        for r in rates
        if r.sent
    ]
    text = clip_mrkdwn(
        "*Surveys* (response rates only; answers are never shown here)\n" + "\n".join(lines), 3000
    )
    return [SectionBlock(block_id=ids.HEALTH_SURVEYS_BLOCK, text=MarkdownTextObject(text=text))]


def _title(name: str) -> str:
    try:
        return instrument(name).title
    except InstrumentError:
        return name  # its file was removed since: the name still says which
