"""Cohorts of one workspace side by side: a table and a figure, linking to each cohort's own report."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from html import escape
from pathlib import Path

from circles.persistence.db import Session, UnitOfWork
from circles.persistence.models import Cohort
from circles.queries.reports import HealthFact
from circles.queries.reports.workspace import cohort_figures
from circles.services.reports.build import cohort_reports, viewers_pairs
from circles.services.reports.figures import rate
from circles.services.reports.files import session_of, write_files
from circles.services.reports.health_now import changes_now
from circles.services.reports.labels import duration, people, percent, rating, share
from circles.services.reports.named import named_cohorts, require_facilitator
from circles.services.reports.outcomes import median
from circles.services.reports.page import head, html_table, trend_figure
from circles.services.reports.svg import Chart, Series
from circles.services.reports.trend_charts import Trend

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
    leaving_out: Collection[int] = (),
) -> tuple[CohortColumn, ...]:
    """The cohorts' figures side by side, in the order given; `fresh` by cohort as `cohort_report` has it.
    Nothing of the pairs `leaving_out` counts (those of who looks: see `viewers_pairs`)."""
    newer = [
        (fact.partnership_id, cohort, fact.state) for cohort, facts in (fresh or {}).items() for fact in facts
    ]
    ids = [cohort.id for cohort in cohorts]
    found = cohort_figures(session, workspace_id, ids, now, newer, leaving_out=leaving_out)
    return tuple(
        CohortColumn(
            cohort.slug,
            cohort.name,
            f.members,
            f.partnerships,
            f.checkins_due,
            f.checkins_answered,
            f.mean_rating,
            f.struggling,
            f.escalations,
            median(f.claim_waits),
        )
        for cohort, f in zip(cohorts, found, strict=True)
    )


def comparison_rows(columns: Sequence[CohortColumn]) -> list[list[str]]:
    """A row per measure, a column per cohort; counts of people under 5 as 'fewer than 5'."""
    measures: list[tuple[str, Callable[[CohortColumn], str]]] = [
        ("Members", lambda c: people(c.members)),
        ("Partnerships running", lambda c: str(c.partnerships)),
        ("Engagement (check-ins answered)", lambda c: percent(c.checkins_answered, c.checkins_due)),
        ("Mean rating (1–5)", lambda c: rating(c.mean_rating)),
        ("Partnerships struggling", lambda c: percent(c.struggling, c.partnerships)),
        ("Escalations opened", lambda c: str(c.escalations)),
        ("Median time to take up an escalation", lambda c: duration(c.median_claim)),
    ]
    return [[what, *(say(column) for column in columns)] for what, say in measures]


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
    )


def comparison_page(columns: Sequence[CohortColumn], now: datetime) -> str:
    """The workspace page: the cohorts side by side, then a link to each one's own report."""
    chart = comparison_chart(columns)
    names = [f'<a href="{escape(c.slug)}/index.html">{escape(c.name)}</a>' for c in columns]
    head_row, rows = ["Measure", *(c.name for c in columns)], comparison_rows(columns)
    table = html_table(head_row, rows)
    shown = (tuple(rows[2]), tuple(rows[4]))  # engagement and struggling: what the chart draws
    return "\n".join(
        [
            *head("Cohorts side by side"),
            "<h1>Cohorts side by side</h1>",
            f'<p class="note">As of {now.astimezone(UTC):%d %b %Y %H:%M UTC}. Every figure is a count or a '
            "share; counts of fewer than 5 people are not shown.</p>",
            table,
            f'<div class="single">{trend_figure(Trend(chart, tuple(head_row), shown))}</div>',
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
    cohorts as for fifteen. Nothing is written to the database; `refresh_health` as for `write_report`.
    """
    folder = Path(out_dir)
    with session_of(source) as session:
        cohorts = named_cohorts(session, team_id, slugs)
        if as_user is not None:
            require_facilitator(session, cohorts, as_user)
        fresh = changes_now(session, [cohort.id for cohort in cohorts], now) if refresh_health else {}
        # Written as someone, nothing of a pair they are one of, as in Slack.
        reports = cohort_reports(session, cohorts, now, fresh, viewer=as_user)
        theirs = viewers_pairs(session, cohorts, as_user)
        columns = compare_cohorts(session, cohorts[0].workspace_id, cohorts, now, fresh, leaving_out=theirs)
    for report in reports:
        write_files(report, folder / report.slug)
    index = folder / "index.html"
    index.write_text(comparison_page(columns, now), encoding="utf-8")
    return index
