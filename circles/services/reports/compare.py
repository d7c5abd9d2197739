"""Cohorts of one workspace side by side: a table and a figure, linking to each cohort's own report."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from html import escape
from pathlib import Path

from circles.persistence.db import Session, UnitOfWork
from circles.persistence.models import Cohort
from circles.queries.reports import HealthFact
from circles.services.reports.build import cohort_reports
from circles.services.reports.figures import Report, rate
from circles.services.reports.files import session_of, write_files
from circles.services.reports.folder import drafted
from circles.services.reports.health_now import changes_now
from circles.services.reports.labels import duration, people, percent, rating, share
from circles.services.reports.named import named_cohorts, require_facilitator
from circles.services.reports.page import head, html_table, trend_figure
from circles.services.reports.svg import Chart, Series, fits_below
from circles.services.reports.trend_charts import Trend
from circles.services.reports.viewer import workspace_of

ENGAGEMENT, STRUGGLING = "#2166ac", "#b2182b"


@dataclass(frozen=True)
class CohortColumn:
    """One cohort's figures as of now, for the side-by-side comparison."""

    slug: str
    name: str
    members: int
    partnerships: int
    checkins_due: int
    checkins_answered: int
    mean_rating: float | None
    struggling: int
    escalations: int
    median_claim: timedelta | None

    @property
    def engagement(self) -> float | None:
        return rate(self.checkins_answered, self.checkins_due)

    @property
    def struggling_share(self) -> float | None:
        return rate(self.struggling, self.partnerships)


def compare_cohorts(
    session: Session,
    workspace_id: int,
    cohorts: Sequence[Cohort],
    now: datetime,
    fresh: Mapping[int, Sequence[HealthFact]] | None = None,
    *,
    viewer: str | None = None,
) -> tuple[CohortColumn, ...]:
    """The cohorts' figures side by side, in the order given, as each one's own report counts them as of
    `now` (`fresh` and `viewer` as `cohort_reports` has them); the same statements however many pairs."""
    if not cohorts:
        return ()
    if workspace_of(cohorts) != workspace_id:
        raise ValueError("cohorts side by side are of one workspace")
    return side_by_side(cohort_reports(session, cohorts, now, fresh, viewer=viewer, circles=False))


def side_by_side(reports: Sequence[Report]) -> tuple[CohortColumn, ...]:
    """A column per cohort's report: its figures as of when it was made, so the two pages agree."""
    return tuple(
        CohortColumn(
            report.slug,
            report.cohort_name,
            report.members_joined - report.members_left,
            report.states[-1].total,
            report.checkins_due,
            report.checkins_answered,
            report.mean_rating,
            report.states[-1].struggling,
            report.escalations.opened,
            report.escalations.median_first_response,
        )
        for report in reports
    )


MEASURES: list[tuple[str, Callable[[CohortColumn], str]]] = [
    ("Members", lambda c: people(c.members)),
    ("Partnerships running", lambda c: str(c.partnerships)),
    ("Engagement (check-ins answered)", lambda c: percent(c.checkins_answered, c.checkins_due)),
    ("Mean rating (1–5)", lambda c: rating(c.mean_rating)),
    ("Partnerships struggling", lambda c: percent(c.struggling, c.partnerships)),
    ("Escalations opened", lambda c: str(c.escalations)),
    ("Median time to take up an escalation", lambda c: duration(c.median_claim)),
]
FEW = 6  # cohorts that fit as columns; more are set out a row each, the measures across


def comparison_rows(columns: Sequence[CohortColumn]) -> list[list[str]]:
    """A row per measure, a column per cohort; counts of people under 5 as 'fewer than 5'."""
    return [[what, *(say(column) for column in columns)] for what, say in MEASURES]


def cohort_rows(columns: Sequence[CohortColumn]) -> list[list[str]]:
    """A row per cohort, a column per measure: the comparison of many cohorts, read down."""
    return [[column.name, *(say(column) for _, say in MEASURES)] for column in columns]


def comparison_chart(columns: Sequence[CohortColumn]) -> Chart:
    """Engagement and the share struggling per cohort, as bars side by side."""
    engaged = [(c.engagement, c.name) for c in columns if c.engagement is not None]
    alt = "No cohort has had a check-in fall due yet"
    if len(engaged) == 1:
        alt = f"Engagement is {share(engaged[0][0])} in {engaged[0][1]}, the only cohort with check-ins due"
    elif engaged:
        high, low = max(engaged), min(engaged)
        alt = (
            f"Engagement is highest in {high[1]} ({share(high[0])}) and lowest in {low[1]} ({share(low[0])})"
        )
    return Chart(
        "cohorts",
        "Engagement and partnerships struggling, by cohort",
        alt,
        tuple(c.name for c in columns),
        (
            Series("Engagement", ENGAGEMENT, tuple(c.engagement for c in columns)),
            Series("Partnerships struggling", STRUGGLING, tuple(c.struggling_share for c in columns)),
        ),
        lambda value: f"{value:.0%}",
        1.0,
        bars=True,
        rows=len(columns) > FEW or not fits_below([c.name for c in columns]),
    )


def comparison_page(columns: Sequence[CohortColumn], now: datetime) -> str:
    """The workspace page: the cohorts side by side, then a link to each one's own report."""
    chart = comparison_chart(columns)
    names = [f'<a href="{escape(c.slug)}/index.html">{escape(c.name)}</a>' for c in columns]
    by_measure, by_cohort = comparison_rows(columns), cohort_rows(columns)
    measures_head = ("Measure", *(c.name for c in columns))
    drawn = Trend(chart, measures_head, (tuple(by_measure[2]), tuple(by_measure[4])))
    if chart.rows:  # the numbers behind the chart lie as its bars do: a row per cohort
        shown = tuple((row[0], row[3], row[5]) for row in by_cohort)
        drawn = Trend(chart, ("Cohort", MEASURES[2][0], MEASURES[4][0]), shown)
    head_row, rows = measures_head, by_measure
    if len(columns) > FEW:
        head_row, rows = ("Cohort", *(what for what, _ in MEASURES)), by_cohort
    table = html_table(head_row, rows, kind="cohorts")
    return "\n".join(
        [
            *head("Cohorts side by side"),
            "<h1>Cohorts side by side</h1>",
            f'<p class="note">As of {now.astimezone(UTC):%d %b %Y %H:%M UTC}. Every figure is a count or a '
            "share; counts of fewer than 5 people are not shown.</p>",
            table,
            f'<div class="single">{trend_figure(drawn, kind="cohorts")}</div>',
            "<h2>Each cohort's report</h2>",
            "<ul>" + "".join(f"<li>{name}</li>" for name in names) + "</ul>",
            "</body>",
            "</html>",
            "",
        ]
    )


def write_comparison(
    source: UnitOfWork | Session,
    team_id: str,
    slugs: Sequence[str],
    out_dir: Path | str,
    now: datetime,
    *,
    refresh_health: bool = True,
    as_user: str | None = None,
) -> Path:
    """Each cohort's report in a folder of its own, and an index.html comparing them; returns that page.

    A cohort named twice (in any case) is one cohort. With `as_user`, every cohort must be one they facilitate
    (NotAFacilitator naming the first that is not, and nothing is written). The same statements for two
    cohorts as for fifteen. Nothing is written to the database; `refresh_health` and how the folder is
    written as for `write_report`.
    """
    folder = Path(out_dir)
    with session_of(source) as session:
        cohorts = named_cohorts(session, team_id, slugs)
        if as_user is not None:
            require_facilitator(session, cohorts, as_user)
        fresh = changes_now(session, [cohort.id for cohort in cohorts], now) if refresh_health else {}
        # Written as someone, nothing of a pair they are one of, as in Slack.
        reports = cohort_reports(session, cohorts, now, fresh, viewer=as_user)
    columns = side_by_side(reports)
    with drafted(folder) as draft:  # whole or not at all, as one cohort's report
        for report in reports:
            write_files(report, draft / report.slug)
        (draft / "index.html").write_text(comparison_page(columns, now), encoding="utf-8")
    return folder / "index.html"
