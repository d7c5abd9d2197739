"""Cohorts compared in a chart of rows: a name per row at its left, never drawn over the next."""

from __future__ import annotations

import re
from datetime import timedelta
from itertools import pairwise

from circles.services.reports.compare import CohortColumn, comparison_chart
from circles.services.reports.svg_rows import TALLEST, TIGHTEST, draw


def cohorts(names: list[str]) -> list[CohortColumn]:
    return [
        CohortColumn(f"c{n}", name, 12, 6, 10, 1 + n % 9, 3.5, 2, 3, timedelta(hours=5))
        for n, name in enumerate(names)
    ]


def written_names(drawn: str) -> list[tuple[float, str]]:
    """The names down the left, with where each is written."""
    found = re.findall(r'<text x="[\d.]+" y="([\d.]+)" text-anchor="end"><title>([^<]*)</title>', drawn)
    return [(float(y), name) for y, name in found]


def test_a_few_cohorts_with_short_names_stand_over_their_names_and_many_lie_in_rows() -> None:
    assert not comparison_chart(cohorts(["Nights", "Days"])).rows
    assert comparison_chart(cohorts(["GME program directors 2027", "PGY-1 residents"] * 2)).rows
    assert comparison_chart(cohorts([f"C{n}" for n in range(7)])).rows


def test_thirty_cohorts_are_named_a_row_each_and_the_chart_grows_to_hold_them() -> None:
    names = [f"GME program directors, nights and weekends {n}" for n in range(30)]
    drawn = draw(comparison_chart(cohorts(names)))
    written = written_names(drawn)
    assert [name for _, name in written] == names  # whole in the tooltip
    assert all(later - earlier >= TIGHTEST for (earlier, _), (later, _) in pairwise(written))
    assert "GME program directors, ni…<" in drawn  # cut short where written
    assert drawn.count("<rect") == 60  # two bars a cohort


def test_past_the_tallest_the_chart_stops_growing_and_names_every_other_row() -> None:
    drawn = draw(comparison_chart(cohorts([f"Cohort {n}" for n in range(150)])))
    height = float(re.search(r'viewBox="0 0 \d+ ([\d.]+)"', drawn)[1])  # type: ignore[index]
    assert height <= TALLEST + 40
    written = written_names(drawn)
    assert len(written) == 75
    assert all(later - earlier >= TIGHTEST for (earlier, _), (later, _) in pairwise(written))
