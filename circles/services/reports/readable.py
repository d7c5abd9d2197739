"""The report's tables and key figures in words: labels, percentages with counts, small counts hidden."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from enum import Enum

from circles.domain.research.suppression import K
from circles.services.reports.figures import Report
from circles.services.reports.labels import FEWER, duration, label, people, percent, share, value_label
from circles.services.reports.tables import Cell, Table, prompt_delivery_rate

# Tables whose whole numbers count people: shown as "fewer than 5" when small.
ABOUT_PEOPLE = {"members", "participation", "circles"}
NOT_PEOPLE = {"round", "prompts_sent", "prompts_missed", "prompts_failed", "prompts_waiting"}


def readable_cell(table: str, column: str, cell: Cell) -> str:
    """A cell as a person reads it: words for codes, percentages, durations, dates spelled out."""
    if cell is None:
        return "–"
    if isinstance(cell, bool):
        return "yes" if cell else "no"
    if isinstance(cell, int) and table in ABOUT_PEOPLE and column not in NOT_PEOPLE:
        return people(cell)
    if isinstance(cell, float):
        return share(cell)
    if isinstance(cell, timedelta):
        return duration(cell)
    if isinstance(cell, datetime):
        return cell.strftime("%d %b %Y %H:%M UTC")
    if isinstance(cell, date):
        return cell.strftime("%d %b %Y")
    if isinstance(cell, tuple):
        return "\n".join(cell)
    if isinstance(cell, Enum) or (column in ("outcome", "state") and isinstance(cell, str)):
        return value_label(cell)
    return str(cell)


def readable(table: Table) -> tuple[tuple[str, ...], list[list[str]]]:
    """The table's column headings and rows in words."""
    columns = tuple(label(column) for column in table.columns)
    rows = [
        [readable_cell(table.name, column, cell) for column, cell in zip(table.columns, row, strict=True)]
        for row in table.rows
    ]
    return columns, rows


def people_share(part: int, whole: int) -> str:
    """A share of people, with its counts only when neither side is small."""
    if part < K:
        return f"{FEWER} of {people(whole)}"
    if whole - part < K:
        return f"all but {FEWER} of {whole}"
    return percent(part, whole)


def key_figures(report: Report) -> list[tuple[str, str]]:
    """The figures a programme director looks at first, each in words."""
    now, escalations, endings = report.states[-1], report.escalations, report.endings
    still = report.members_joined - report.members_left
    sent = sum(c.prompts_sent for c in report.circles)
    return [
        ("Members who joined", people(report.members_joined)),
        ("Still in the cohort", people_share(still, report.members_joined) if report.members_joined else "–"),
        ("Engagement (check-ins answered)", percent(report.checkins_answered, report.checkins_due)),
        ("Partnerships running now", str(now.total)),
        (label("thriving"), percent(now.thriving, now.total)),
        (label("steady"), percent(now.steady, now.total)),
        (label("needs_attention"), percent(now.needs_attention, now.total)),
        (label("struggling"), percent(now.struggling, now.total)),
        (label("not_assessed"), percent(now.not_assessed, now.total)),
        ("Escalations opened", str(escalations.opened)),
        ("Escalations taken up", percent(escalations.claimed, escalations.opened)),
        ("Escalations resolved", percent(escalations.resolved, escalations.opened)),
        ("Median time to take up an escalation", duration(escalations.median_first_response)),
        ("Mean time to take up an escalation", duration(escalations.mean_first_response)),
        ("Partnerships completed", percent(endings.completed, endings.total)),
        ("Partnerships ended early", percent(endings.ended_early, endings.total)),
        ("Circles formed", str(len(report.circles))),
        ("Circle prompts delivered", share(prompt_delivery_rate(report)) + f" ({sent} delivered)"),
    ]
