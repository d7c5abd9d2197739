"""The report's summary for a facilitator's DM: the key figures in a few lines, counts only."""

from __future__ import annotations

from collections import Counter

from slack_sdk.models.blocks import HeaderBlock, MarkdownTextObject, SectionBlock

from bot import ids
from bot.views.health import summary_line
from bot.views.message import Message, context_line
from bot.views.text import fit_plain, mrkdwn, quote_typed
from circles.domain.health import NOT_ASSESSED_WORDS
from circles.domain.vocabulary import PartnershipHealthState as State
from circles.services.reports import Report
from circles.services.reports.labels import duration, label, share, unavailable_notes

FOOTER = (
    "Only you can see this. Every figure is a count and nobody is named; in a small cohort a count can "
    "still point to someone, so share it with care."
)


def preparing_text(slug: str) -> str:
    return f"Preparing the report for `{quote_typed(slug, 60)}`… it takes a moment."


def delivered_text(report: Report) -> str:
    return f"Your report for *{mrkdwn(report.cohort_name)}* is in your direct messages with Circles."


def chart_comment(report: Report) -> str:
    return f"Partnership health week by week in {mrkdwn(report.cohort_name)}."


def individual_comment(report: Report) -> str:
    return (
        f"Each partnership of {mrkdwn(report.cohort_name)} on its own row, with notes only where their "
        "authors chose to share them. It names people: keep it among the cohort's facilitators."
        + (f" {left_out_text(report)}" if report.left_out else "")
        + (f" {unavailable_text(report)}" if report.notes_unavailable else "")
    )


def unavailable_text(report: Report) -> str:
    """Shared notes the notes key did not open: counted, so a lost note never reads as no note."""
    return f"{unavailable_notes(report.notes_unavailable)} Their rows count them in `notes_unavailable`."


def left_out_text(report: Report) -> str:
    """Why the figures leave out the pairs the asker is one of, or of someone they were ever paired with
    (what those partners say and go through is not theirs to see)."""
    count = report.left_out
    pairs = "1 partnership" if count == 1 else f"{count} partnerships"
    part = "is part of is" if count == 1 else "are part of are"
    return f"{pairs} that you or someone you were paired with {part} left out of every figure and file here."


def report_summary(report: Report) -> Message:
    """Header, the key figures as short lines, and a footer on what the figures are and where more is."""
    lines = [
        f"*Members:* {_members(report)}",
        f"*Check-ins:* {_checkins(report)}",
        f"*Partnerships now:* {_states(report)}",
        f"*Escalations:* {_escalations(report)}",
        f"*Partnerships so far:* {_endings(report)}",
        f"*Circles:* {_circles(report)}",
    ]
    more = (
        f"`/circles report {report.slug} individual` adds a file with a row per partnership; "
        f"`circles report {report.slug} --out DIR` writes every table as CSV with charts."
    )
    blocks = [
        HeaderBlock(text=fit_plain(f"Report: {report.cohort_name}", 150)),
        SectionBlock(block_id=ids.REPORT_SUMMARY_BLOCK, text=MarkdownTextObject(text="\n".join(lines))),
        *([context_line(left_out_text(report))] if report.left_out else []),
        context_line(f"{FOOTER} {more}"),
    ]
    return Message(f"Report for {mrkdwn(report.cohort_name)}", list(blocks))


def _members(report: Report) -> str:
    if not report.members_joined:
        return "nobody has joined yet."
    active = sum(count.active for count in report.members)
    paused = sum(count.paused for count in report.members)
    still = report.members_joined - report.members_left
    return (
        f"{report.members_joined} joined, {still} still in ({share(report.retention)}): "
        f"{active} active, {paused} paused, {report.members_left} left."
    )


def _checkins(report: Report) -> str:
    if not report.checkins_due:
        return "none due yet."
    return f"{report.checkins_answered} of {report.checkins_due} answered ({share(report.response_rate)})."


def _states(report: Report) -> str:
    now = report.states[-1]
    if not now.total:
        return "none running."
    counts = Counter(
        {
            State.STRUGGLING: now.struggling,
            State.NEEDS_ATTENTION: now.needs_attention,
            State.STEADY: now.steady,
            State.THRIVING: now.thriving,
        }
    )
    text = summary_line(counts) if now.total > now.not_assessed else ""
    if now.not_assessed:
        text += f"{' · ' if text else ''}{now.not_assessed} {NOT_ASSESSED_WORDS.counted}"
    return text + "."


def _escalations(report: Report) -> str:
    figures = report.escalations
    if not figures.opened:
        return "none opened."
    text = f"{figures.opened} opened, {figures.claimed} taken up, {figures.resolved} resolved"
    if figures.median_first_response is not None and figures.mean_first_response is not None:
        text += (
            f"; first response after {duration(figures.median_first_response)} (median), "
            f"{duration(figures.mean_first_response)} on average"
        )
    return text + "."


def _endings(report: Report) -> str:
    endings = report.endings
    if not endings.total:
        return "none formed yet."
    early = [
        (endings.no_fault, "no_fault"),
        (endings.member_left, "member_left"),
        (endings.rematched, "rematched"),
        (endings.facilitator, "facilitator"),
        (endings.unrecorded, "unrecorded"),
    ]
    why = ", ".join(f"{count} {label(name).lower()}" for count, name in early if count)
    return (
        f"{endings.completed} completed, {endings.ended_early} ended early{f' ({why})' if why else ''}; "
        f"{endings.active} running, {endings.paused} paused."
    )


def _circles(report: Report) -> str:
    if not report.circles:
        return "none formed yet."
    active = report.circle_members_active
    sent = sum(circle.prompts_sent for circle in report.circles)
    missed = sum(circle.prompts_missed + circle.prompts_failed for circle in report.circles)
    count = len(report.circles)
    return (
        f"{count} formed, {active} of their members still active; "
        f"{sent} prompts delivered, {missed} not delivered."
    )
