"""The report in words: one label per field, percentages with counts, weekly trends and what charts say."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from circles.queries.reports.facts import CheckInFact, EscalationFact
from circles.services.reports import tables
from circles.services.reports.compare import CohortColumn, comparison_chart, comparison_rows
from circles.services.reports.labels import LABELS, duration, label, people, percent
from circles.services.reports.page import html_page
from circles.services.reports.svg import Chart, Series, svg
from circles.services.reports.trends import trend_sentence, trends
from circles.services.reports.weeks import calendar
from tests.unit.test_report_tables import small_report

MONDAY = datetime(2027, 3, 1, tzinfo=UTC)
NOW = MONDAY + timedelta(weeks=3, days=2)  # Wednesday of the fourth week
WEEKS = calendar(MONDAY, NOW, "UTC")
RAW = ("needs_attention", "wants_support", "checkin_rate", "not_assessed", "response_rate")


def at(days: float, hours: float = 0) -> datetime:
    return MONDAY + timedelta(days=days, hours=hours)


def checkin(due: float, answered: float | None = None, rating: int | None = None) -> CheckInFact:
    return CheckInFact(1, 1, at(due), at(answered) if answered is not None else None, rating)


def test_every_column_of_every_table_has_words_of_its_own() -> None:
    for table in tables(small_report()):
        for column in table.columns:
            assert column in LABELS, f"{table.name}.{column} has no label"
    assert label("needs_attention") == "Needs attention"
    assert label("not_assessed") == "Not assessed yet"
    assert all("_" not in words for words in LABELS.values())
    assert label("some_new_field") == "Some new field"  # never shown as a field name, even unlisted


def test_shares_come_with_their_counts_and_small_counts_of_people_are_hidden() -> None:
    assert percent(21, 50) == "42% (21 of 50)"
    assert percent(0, 0) == "–"
    assert [people(n) for n in (0, 4, 5, 12)] == ["fewer than 5", "fewer than 5", "5", "12"]
    assert [duration(timedelta(minutes=m)) for m in (20, 90, 3000)] == ["20 min", "1.5 h", "2.1 days"]
    assert duration(None) == "–"


def test_the_page_shows_words_not_field_names_or_bare_fractions() -> None:
    page = html_page(small_report(), tables(small_report()), {})
    shown = re.sub(r"<[^>]+>", " ", re.sub(r"<(style|svg)\b.*?</\1>", " ", page, flags=re.S))
    for raw in RAW:
        assert raw not in shown
    assert "75% (6 of 8)" in shown  # check-ins answered
    assert "Needs attention" in shown
    assert not re.search(r"\b0\.\d{4}\b", shown)  # no rate written as a fraction
    assert "fewer than 5" in shown  # one learner left: a count of people too small to show


def test_weekly_trends_keep_weeks_with_nothing_to_count_empty_rather_than_zero() -> None:
    found = trends(
        WEEKS,
        [checkin(1, 1.5, 4), checkin(1, 2, 2), checkin(2), checkin(15, 15.2, 5), checkin(30, 30.5, 1)],
        [
            EscalationFact(at(1), at(1, 2), None),
            EscalationFact(at(2), at(2, 6), at(3)),
            EscalationFact(at(3), at(3, 10), None),
            EscalationFact(at(16), None, None),
            EscalationFact(at(17), at(40), None),  # taken up after now: not yet
        ],
        NOW,
    )
    assert [(w.due, w.answered, w.engagement) for w in found] == [
        (3, 2, 2 / 3),
        (0, 0, None),
        (1, 1, 1.0),
        (0, 0, None),  # the check-in due on day 30 has not fallen due by now
    ]
    assert [w.mean_rating for w in found] == [3.0, None, 5.0, None]
    assert [(w.opened, w.claimed, w.median_claim) for w in found] == [
        (3, 3, timedelta(hours=6)),
        (0, 0, None),
        (2, 0, None),
        (0, 0, None),
    ]


def test_a_trend_is_said_in_a_sentence_from_its_first_week_with_data_to_its_last() -> None:
    def pct(value: float) -> str:
        return f"{value:.0%}"

    nothing = "No check-ins have fallen due yet"
    assert (
        trend_sentence("Engagement", [0.4, None, 0.5, 0.75], pct, nothing=nothing)
        == "Engagement rose from 40% in week 1 to 75% in week 4"
    )
    assert (
        trend_sentence("Engagement", [None, 0.8, 0.3], pct, nothing=nothing)
        == "Engagement fell from 80% in week 2 to 30% in week 3"
    )
    assert (
        trend_sentence("Engagement", [0.5, 0.5], pct, nothing=nothing)
        == "Engagement stayed at 50% from week 1 to week 2"
    )
    assert (
        trend_sentence("Engagement", [None, 0.5], pct, nothing=nothing)
        == "Engagement was 50% in week 2, the only week with any"
    )
    assert trend_sentence("Engagement", [None, None], pct, nothing=nothing) == nothing


def test_a_peak_or_a_dip_between_the_first_and_last_weeks_is_said_too() -> None:
    def hours(value: float) -> str:
        return f"{value:.0f} h"

    nothing = "No escalation has been taken up yet"
    assert (
        trend_sentence("The median time", [None, None, 2, 30, 1], hours, nothing=nothing)
        == "The median time fell from 2 h in week 3 to 1 h in week 5, highest 30 h in week 4 between"
    )
    assert (
        trend_sentence("The median time", [5, 1, 9, 5], hours, nothing=nothing)
        == "The median time was 5 h in week 1 and in week 4, "
        "highest 9 h in week 3 and lowest 1 h in week 2 between"
    )


def test_a_chart_is_an_image_with_a_title_saying_what_it_shows_and_gaps_where_weeks_are_empty() -> None:
    chart = Chart(
        "engagement",
        "Engagement",
        "Engagement rose from 40% in week 1 to 75% in week 4",
        ("W1", "W2", "W3", "W4"),
        (Series("Engagement", "#000", (0.4, 0.5, None, 0.75)),),
        lambda v: f"{v:.0%}",
        1.0,
    )
    drawn = svg(chart)
    assert drawn.startswith("<svg")
    assert 'role="img"' in drawn
    assert 'aria-label="Engagement rose from 40% in week 1 to 75% in week 4"' in drawn
    assert "<title" in drawn
    assert "Engagement rose from 40%" in drawn
    assert drawn.count("<polyline") == 1  # W1–W2 joined; W4 stands alone after the empty week
    assert drawn.count("<circle") == 3


def column(slug: str, due: int, answered: int, members: int = 12) -> CohortColumn:
    return CohortColumn(slug, slug.upper(), members, 6, due, answered, 3.5, 2, 3, timedelta(hours=5))


def test_cohorts_compare_side_by_side_whether_one_or_several() -> None:
    one = comparison_rows([column("a", 10, 4)])
    assert one[0] == ["Members", "12"]
    assert one[2] == ["Engagement (check-ins answered)", "40% (4 of 10)"]
    several = [column("a", 10, 4), column("b", 20, 15, members=3), column("c", 0, 0)]
    rows = comparison_rows(several)
    assert rows[0] == ["Members", "12", "fewer than 5", "12"]
    assert rows[2][1:] == ["40% (4 of 10)", "75% (15 of 20)", "–"]
    assert rows[4][1:] == ["33% (2 of 6)"] * 3
    assert rows[6][1:] == ["5 h"] * 3
    assert comparison_chart(several).alt == "Engagement is highest in B (75%) and lowest in A (40%)"
    assert comparison_chart([column("c", 0, 0)]).alt == "No cohort has had a check-in fall due yet"
    assert (
        comparison_chart([column("a", 10, 4), column("c", 0, 0)]).alt
        == "Engagement is 40% in A, the only cohort with check-ins due"
    )
