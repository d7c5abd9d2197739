"""Group sizes: within the bounds, nobody alone, odd counts folded into neighbouring groups."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from circles.domain.matching.sizes import group_counts, plan_sizes


def test_eleven_people_in_circles_of_four_to_six_make_a_six_and_a_five() -> None:
    assert plan_sizes(11, 4, 6).sizes == (6, 5)


def test_ten_people_make_two_circles_of_the_preferred_five() -> None:
    assert plan_sizes(10, 4, 6).sizes == (5, 5)


def test_seven_people_cannot_all_fit_circles_of_four_to_six_so_one_waits() -> None:
    plan = plan_sizes(7, 4, 6)
    assert plan.sizes == (6,)
    assert plan.placed == 6


def test_fewer_people_than_the_minimum_make_no_circle() -> None:
    assert plan_sizes(3, 4, 6).sizes == ()


def test_peers_pair_up_and_an_odd_one_makes_a_single_trio() -> None:
    assert plan_sizes(6, 2, 3, preferred=2).sizes == (2, 2, 2)
    assert plan_sizes(7, 2, 3, preferred=2).sizes == (3, 2, 2)


def test_a_tie_between_group_counts_goes_to_fewer_larger_groups() -> None:
    assert plan_sizes(12, 4, 6).sizes == (6, 6)


@pytest.mark.parametrize(("low", "high"), [(1, 4), (5, 4)])
def test_bounds_that_would_leave_someone_alone_or_make_no_sense_are_refused(low: int, high: int) -> None:
    with pytest.raises(ValueError, match="group"):
        plan_sizes(10, low, high)


@given(st.integers(0, 300), st.integers(2, 12), st.integers(0, 6))
def test_sizes_stay_in_bounds_and_place_the_most_people_any_split_allows(
    people: int, low: int, spread: int
) -> None:
    high = low + spread
    plan = plan_sizes(people, low, high)
    assert all(low <= size <= high for size in plan.sizes)
    assert max(plan.sizes, default=0) - min(plan.sizes, default=0) <= 1
    best = max((n for n in range(people + 1) if group_counts(n, low, high)), default=0)
    assert plan.placed == best
