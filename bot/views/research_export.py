"""The research export in Slack: the button under the report, and the words that come with the file."""

from __future__ import annotations

from slack_sdk.models.blocks import ActionsBlock, ButtonElement

from bot import ids
from bot.views.text import mrkdwn
from circles.domain.research.tables import IdentifyingColumn
from circles.services.research.export import ResearchExport


def research_export_block(slug: str) -> ActionsBlock:
    """A button that sends the cohort's research export to whoever presses it, if they facilitate it."""
    button = ButtonElement(text="Research export", action_id=ids.RESEARCH_EXPORT, value=slug[:64])
    return ActionsBlock(block_id=ids.RESEARCH_EXPORT_BLOCK, elements=[button])


def export_title(made: ResearchExport) -> str:
    return f"Research export: {made.slug}"


def export_comment(made: ResearchExport) -> str:
    """What comes with the file: what it holds, in counts only, and how to keep it."""
    return (
        f"The research export of `{mrkdwn(made.slug)}`: {made.tables} tables about the {made.included} "
        f"members whose consent stands now ({made.left_out} left out without it), under pseudonymous IDs, "
        "weeks instead of dates, small cells suppressed. README.txt and codebook.csv inside say the rest."
        + (f" {_own_pairs(made.own_pairs)}" if made.own_pairs else "")
        + (f" {_withheld(made.withheld)}" if made.withheld else "")
        + (f" {unreadable_text(made.unreadable)}" if made.unreadable else "")
    )


def unreadable_text(count: int) -> str:
    """Shared words the notes key could not open: counted, so that their empty cells are not read as
    unanswered."""
    answers = "1 answer's words" if count == 1 else f"{count} answers' words"
    return (
        f"{answers} could not be opened with the current notes key and are left empty (README.txt says so)."
    )


def _withheld(count: int) -> str:
    answers = "1 answer's words were" if count == 1 else f"{count} answers' words were"
    return f"{answers} withheld: they could identify someone (a name, an email or a Slack ID)."


def _own_pairs(count: int) -> str:
    pairs = "The partnership" if count == 1 else f"The {count} partnerships"
    part = "is part of is" if count == 1 else "are part of are"
    return f"{pairs} that you or someone you were paired with {part} left out, with everything about them."


def delivered_text(made: ResearchExport) -> str:
    return f"The research export of `{mrkdwn(made.slug)}` is in your direct messages with Circles."


def already_coming_text(slug: str) -> str:
    """The second press of a double click: the first one's export is the answer."""
    return f"The research export of `{mrkdwn(slug)}` is already on its way to your direct messages."


def stopped_text(stopped: IdentifyingColumn) -> str:
    """Why nothing was exported: the column and row whose value could identify someone, never the value."""
    return (
        f"Nothing was exported: in `{mrkdwn(stopped.column)}`, row {stopped.row}, a value looks like "
        f"{stopped.kind.value}, which would let a reader identify someone. Change that value (a consent "
        "statement's version, say) and export again."
    )
