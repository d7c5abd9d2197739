"""The report as named tables: what the CSV files, the HTML page and the Slack summary are made of."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, fields
from datetime import date, datetime, timedelta
from enum import Enum
from typing import Any

from circles.domain.text import never_a_formula
from circles.services.reports.figures import (
    EscalationWeek,
    ParticipationWeek,
    Report,
    ResponseWeek,
    RoleCount,
    StatesWeek,
    rate,
)
from circles.services.reports.rows import CircleRow, PartnershipRow

Cell = str | int | float | date | datetime | timedelta | Enum | tuple[str, ...] | None


@dataclass(frozen=True)
class Table:
    name: str  # the CSV file's name without .csv
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]

    def text_rows(self) -> list[list[str]]:
        return [[text(cell) for cell in row] for row in self.rows]


def text(cell: Cell) -> str:
    """A cell as written: rates to four places, durations in hours, free text never read as a formula."""
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "yes" if cell else "no"
    if isinstance(cell, float):
        return f"{cell:.4f}"
    if isinstance(cell, timedelta):
        return f"{cell.total_seconds() / 3600:.2f}"
    if isinstance(cell, date | datetime):
        return cell.isoformat()
    if isinstance(cell, tuple):
        return text("\n".join(cell)) if cell else ""
    if isinstance(cell, Enum):
        return str(cell.value)
    if isinstance(cell, str):
        return never_a_formula(cell)
    return str(cell)


def tables(report: Report) -> list[Table]:
    """Every table of the report, the summary first; individual rows only when the report has them."""
    found = [
        summary(report),
        _of("members", "Members by role and status now", RoleCount, report.members, total=lambda c: c.total),
        _of(
            "participation",
            "Joined and left by week; members at the end of it",
            ParticipationWeek,
            report.participation,
        ),
        _of(
            "checkins",
            "Check-ins by the week they fell due",
            ResponseWeek,
            report.checkins,
            rate=lambda w: w.rate,
        ),
        _of(
            "states_by_week",
            "Partnerships by health state at the end of each week",
            StatesWeek,
            report.states,
            running=lambda w: w.total,
        ),
        _of(
            "escalations",
            "Escalations opened, claimed and resolved, by week",
            EscalationWeek,
            report.escalations.weeks,
        ),
        endings_table(report),
        _of("circles", "Circles: members now and prompts delivered", CircleRow, report.circles),
    ]
    if report.individual is not None:
        found.append(
            _of(
                "individual", "Partnerships one by one (facilitators only)", PartnershipRow, report.individual
            )
        )
    return found


def _of(
    name: str, title: str, kind: type[Any], items: Iterable[Any], **extra: Callable[[Any], Cell]
) -> Table:
    """A table with a column per field of the dataclass `kind`, then the extra computed columns."""
    names = [field.name for field in fields(kind)]
    rows = tuple(
        (*(getattr(item, field) for field in names), *(compute(item) for compute in extra.values()))
        for item in items
    )
    return Table(name, title, (*names, *extra), rows)


def summary(report: Report) -> Table:
    escalations, endings = report.escalations, report.endings
    now = report.states[-1]
    figures: list[tuple[str, Cell]] = [
        ("cohort", report.slug),
        ("generated_at", report.generated_at),
        ("time_zone", report.timezone),
        ("members_joined", report.members_joined),
        ("members_left", report.members_left),
        ("members_active", sum(c.active for c in report.members)),
        ("members_paused", sum(c.paused for c in report.members)),
        ("retention", report.retention),
        ("checkins_due", report.checkins_due),
        ("checkins_answered", report.checkins_answered),
        ("response_rate", report.response_rate),
        ("partnerships_running", now.total),
        ("thriving", now.thriving),
        ("steady", now.steady),
        ("needs_attention", now.needs_attention),
        ("struggling", now.struggling),
        ("not_assessed", now.not_assessed),
        ("escalations_opened", escalations.opened),
        ("escalations_claimed", escalations.claimed),
        ("escalations_resolved", escalations.resolved),
        ("escalations_still_open", escalations.still_open),
        ("median_first_response_hours", escalations.median_first_response),
        ("mean_first_response_hours", escalations.mean_first_response),
        ("partnerships", endings.total),
        ("partnerships_completed", endings.completed),
        ("partnerships_ended_early", endings.ended_early),
        ("circles_formed", len(report.circles)),
        ("circle_members_active", report.circle_members_active),
        ("prompts_sent", sum(c.prompts_sent for c in report.circles)),
        ("prompts_missed", sum(c.prompts_missed for c in report.circles)),
        ("prompts_failed", sum(c.prompts_failed for c in report.circles)),
        ("prompts_waiting", sum(c.prompts_waiting for c in report.circles)),
        ("prompt_delivery_rate", prompt_delivery_rate(report)),
    ]
    return Table("summary", "Key figures", ("figure", "value"), tuple(figures))


def prompt_delivery_rate(report: Report) -> float | None:
    """Prompts delivered of those whose time came (sent, missed or refused by Slack)."""
    sent = sum(c.prompts_sent for c in report.circles)
    return rate(sent, sent + sum(c.prompts_missed + c.prompts_failed for c in report.circles))


def endings_table(report: Report) -> Table:
    e = report.endings
    rows: tuple[tuple[Cell, ...], ...] = (
        ("active", e.active, False),
        ("paused", e.paused, False),
        ("completed", e.completed, False),
        ("no_fault", e.no_fault, True),
        ("member_left", e.member_left, True),
        ("rematched", e.rematched, True),
        ("facilitator", e.facilitator, True),
        ("unrecorded", e.unrecorded, True),
    )
    return Table(
        "endings",
        "Partnerships: running, completed or ended early",
        ("outcome", "partnerships", "ended_early"),
        rows,
    )
