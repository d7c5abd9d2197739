"""A cohort's weekly trends as charts, each with the sentence it says and the table behind it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from circles.services.reports.charts import COLOURS
from circles.services.reports.figures import Report
from circles.services.reports.labels import duration, label, percent, rating
from circles.services.reports.svg import Chart, Series
from circles.services.reports.trends import trend_sentence

ENGAGEMENT_COLOUR, RATING_COLOUR, CLAIM_COLOUR, NOT_ASSESSED_COLOUR = (
    "#2166ac",
    "#762a83",
    "#b35806",
    "#bababa",
)


@dataclass(frozen=True)
class Trend:
    """A chart and its data as a table: the columns' words and a row of text per week."""

    chart: Chart
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


def week_names(report: Report) -> tuple[str, ...]:
    """Weeks named by their number in the report: W1 is the cohort's first."""
    return tuple(f"W{number}" for number in range(1, len(report.states) + 1))


@dataclass(frozen=True)
class Line:
    """A weekly trend drawn as one line: what it measures and how its values are said."""

    key: str
    title: str
    field: str  # its label's key
    subject: str  # how its sentence starts
    nothing: str  # its sentence when no week has a value
    colour: str
    say: Callable[[float], str]


def line_chart(report: Report, line: Line, values: tuple[float | None, ...], top: float) -> Chart:
    """One weekly line, with the sentence saying where it went."""
    alt = trend_sentence(line.subject, values, line.say, nothing=line.nothing)
    series = (Series(label(line.field), line.colour, values),)
    return Chart(line.key, line.title, alt, week_names(report), series, line.say, top)


def engagement_trend(report: Report) -> Trend:
    line = Line(
        "engagement",
        "Engagement: share of check-ins answered",
        "engagement",
        "Engagement",
        "No check-ins have fallen due yet",
        ENGAGEMENT_COLOUR,
        _pct,
    )
    chart = line_chart(report, line, tuple(week.engagement for week in report.trends), 1.0)
    rows = tuple((_week(report, i), percent(week.answered, week.due)) for i, week in enumerate(report.trends))
    return Trend(chart, (label("week"), label("engagement")), rows)


def rating_trend(report: Report) -> Trend:
    line = Line(
        "rating",
        "Mean rating of the check-ins answered (1 to 5)",
        "mean_rating",
        "The mean rating",
        "No check-in has been rated yet",
        RATING_COLOUR,
        rating,
    )
    chart = line_chart(report, line, tuple(week.mean_rating for week in report.trends), 5.0)
    rows = tuple((_week(report, i), rating(week.mean_rating)) for i, week in enumerate(report.trends))
    return Trend(chart, (label("week"), label("mean_rating")), rows)


def states_trend(report: Report) -> Trend:
    fields = [*(state.value for state in COLOURS), "not_assessed"]
    colours = [*COLOURS.values(), NOT_ASSESSED_COLOUR]
    series = tuple(
        Series(label(field), colour, tuple(float(getattr(week, field)) for week in report.states))
        for field, colour in zip(fields, colours, strict=True)
    )
    totals = [week.total for week in report.states]
    alt = trend_sentence(
        "Partnerships running", [float(t) for t in totals], _count, nothing="No partnership has run yet"
    )
    now = report.states[-1]
    if now.total:
        alt += f"; in the last week {now.struggling} struggling and {now.needs_attention} needing attention"
    chart = Chart(
        "states",
        "Partnerships by health state",
        alt,
        week_names(report),
        series,
        _count,
        max([*totals, 1]),
        stacked=True,
    )
    rows = tuple(
        (_week(report, i), *(str(getattr(week, field)) for field in fields), str(week.total))
        for i, week in enumerate(report.states)
    )
    return Trend(chart, (label("week"), *(label(field) for field in fields), label("total")), rows)


def claim_trend(report: Report) -> Trend:
    values = tuple(
        week.median_claim.total_seconds() / 3600 if week.median_claim is not None else None
        for week in report.trends
    )
    line = Line(
        "claim",
        "Median time to take up an escalation, by the week it was opened",
        "median_claim",
        "The median time to take up an escalation",
        "No escalation has been taken up yet",
        CLAIM_COLOUR,
        _hours,
    )
    chart = line_chart(report, line, values, max([v for v in values if v is not None] + [1.0]))
    rows = tuple(
        (_week(report, i), str(week.opened), str(week.claimed), duration(week.median_claim))
        for i, week in enumerate(report.trends)
    )
    return Trend(chart, (label("week"), label("opened"), label("claimed"), label("median_claim")), rows)


def trend_charts(report: Report) -> list[Trend]:
    """The four weekly trends, in the order a programme director asks about them."""
    return [engagement_trend(report), rating_trend(report), states_trend(report), claim_trend(report)]


def _week(report: Report, index: int) -> str:
    return f"W{index + 1} ({report.states[index].week:%d %b %Y})"


def _pct(value: float) -> str:
    return f"{value:.0%}"


def _count(value: float) -> str:
    return str(round(value))


def _hours(value: float) -> str:
    return duration(timedelta(hours=value)) if value else "0 h"
