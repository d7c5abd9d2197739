"""Circles: bounds, hard conflicts, repeats only when unavoidable, variety, reasons, determinism."""

from __future__ import annotations

from circles.domain.matching import CircleProblem, Person, form_circles, pair, pairs_within

DEPARTMENTS = ("cardiology", "nursing", "pharmacy", "surgery", "radiology", "paediatrics")


def cohort(size: int, *, departments: int = 6, offset: float | None = 0.0) -> list[Person]:
    return [
        Person(
            key=k,
            role=("learner", "coach", "mentor", "peer")[k % 4],
            department=DEPARTMENTS[k % departments],
            seniority=("junior", "mid", "senior")[k % 3],
            utc_offset_hours=offset,
            terms=frozenset({"wellbeing", f"topic{k % 5}"}),
        )
        for k in range(size)
    ]


def test_eleven_members_make_a_circle_of_six_and_one_of_five_with_nobody_left_out() -> None:
    plan = form_circles(CircleProblem(cohort(11), min_size=4, max_size=6))
    assert sorted(len(c.members) for c in plan.groups) == [5, 6]
    assert plan.unplaced == ()


def test_fewer_members_than_the_minimum_are_all_told_why_they_have_no_circle() -> None:
    plan = form_circles(CircleProblem(cohort(3), min_size=4, max_size=6))
    assert plan.groups == ()
    assert [u.key for u in plan.unplaced] == [0, 1, 2]
    assert all("needs at least 4" in u.reason for u in plan.unplaced)


def test_seven_members_for_circles_of_four_to_six_leave_one_waiting_with_the_reason() -> None:
    plan = form_circles(CircleProblem(cohort(7), min_size=4, max_size=6))
    assert [len(c.members) for c in plan.groups] == [6]
    assert len(plan.unplaced) == 1
    assert "cannot all fit circles of 4–6" in plan.unplaced[0].reason


def test_two_people_with_a_declared_conflict_never_share_a_circle() -> None:
    forbidden = frozenset({pair(0, 1), pair(2, 3), pair(0, 5)})
    plan = form_circles(CircleProblem(cohort(10), min_size=4, max_size=6, forbidden=forbidden))
    for circle in plan.groups:
        assert not any(pair(a, b) in forbidden for a in circle.members for b in circle.members if a < b)
    assert plan.conflicts == 0
    assert plan.unplaced == ()


def test_someone_in_conflict_with_everyone_is_left_out_with_the_reason_and_the_rest_still_meet() -> None:
    forbidden = frozenset(pair(0, k) for k in range(1, 9))
    plan = form_circles(CircleProblem(cohort(9), min_size=4, max_size=6, forbidden=forbidden))
    assert [u.key for u in plan.unplaced] == [0]
    assert "conflict" in plan.unplaced[0].reason
    assert sorted(k for c in plan.groups for k in c.members) == list(range(1, 9))


def test_a_circle_that_could_only_form_around_a_conflict_is_not_formed() -> None:
    plan = form_circles(CircleProblem(cohort(4), min_size=4, max_size=6, forbidden=frozenset({pair(1, 2)})))
    assert len(plan.unplaced) == 4 - sum(len(c.members) for c in plan.groups)
    assert plan.conflicts == 0
    assert all(len(c.members) >= 4 for c in plan.groups)


def test_a_second_round_avoids_everyone_from_the_first() -> None:
    people = cohort(60)
    first = form_circles(CircleProblem(people, seed=1))
    history = frozenset().union(*(pairs_within(c.members) for c in first.groups))
    second = form_circles(CircleProblem(people, seed=2, history=history))
    assert second.repeats == ()
    assert second.repeat_count == 0


def test_a_repeat_that_cannot_be_avoided_is_made_and_listed() -> None:
    people = cohort(5)
    history = frozenset({pair(0, 1)})
    plan = form_circles(CircleProblem(people, min_size=4, max_size=6, history=history))
    assert plan.repeats == ((0, 1),)
    assert plan.groups[0].repeats == ((0, 1),)
    assert "1 earlier pairing again" in plan.groups[0].why


def test_circles_mix_departments_rather_than_grouping_them() -> None:
    plan = form_circles(CircleProblem(cohort(30, departments=5), min_size=5, max_size=5))
    assert all(circle.departments == 5 for circle in plan.groups)


def test_circles_keep_people_in_time_zones_that_overlap() -> None:
    people = cohort(10, offset=-5.0)[:5] + [
        Person(k, department=DEPARTMENTS[k % 6], utc_offset_hours=8.0) for k in range(5, 10)
    ]
    plan = form_circles(CircleProblem(people, min_size=5, max_size=5))
    assert [c.time_zone_spread_hours for c in plan.groups] == [0.0, 0.0]


def test_each_circle_says_what_it_brings_together() -> None:
    plan = form_circles(CircleProblem(cohort(5), min_size=5, max_size=5))
    circle = plan.groups[0]
    assert (circle.departments, circle.roles, circle.seniority_levels) == (5, 4, 3)
    assert circle.shared_terms[0] == "wellbeing"
    assert circle.why.startswith("5 departments, 4 roles, 3 seniority levels; in common: wellbeing")
    assert circle.why.endswith("time zones within 0 h")


def test_the_same_seed_gives_the_same_circles_whatever_the_order_people_come_in() -> None:
    people = cohort(40)
    history = frozenset({pair(1, 2), pair(3, 4)})
    plan = form_circles(CircleProblem(people, seed=7, history=history))
    again = form_circles(CircleProblem(list(reversed(people)), seed=7, history=history))
    assert plan == again


def test_another_seed_gives_other_circles() -> None:
    people = cohort(40)
    one, other = (form_circles(CircleProblem(people, seed=seed)) for seed in (1, 2))
    assert one.groups != other.groups
