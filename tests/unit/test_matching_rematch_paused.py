"""Re-matching into a circle: a member on a break still sits there, for conflicts and endings and for the
circle's size; and the reasons speak only of the pairings the person meets again."""

from __future__ import annotations

from circles.domain.matching import Person, Placement, Unplaced, pair, rematch_into_circle


def member(key: int, department: str) -> Person:
    return Person(key, role="peer", department=department)


NEW = member(20, "nursing")
CIRCLES = {
    7: [member(1, "surgery"), member(2, "pharmacy")],  # the more varied for a nurse
    8: [member(5, "nursing"), member(6, "nursing")],
}


def test_a_circle_where_someone_they_must_not_meet_is_paused_is_passed_over() -> None:
    placed = rematch_into_circle(NEW, CIRCLES, max_size=4, forbidden=frozenset({pair(20, 3)}), away={7: [3]})
    assert isinstance(placed, Placement)
    assert (placed.circle, placed.passed_over) == (8, (7,))


def test_the_only_circle_holding_them_is_no_place_at_all() -> None:
    left = rematch_into_circle(
        NEW, {7: CIRCLES[7]}, max_size=4, forbidden=frozenset({pair(20, 3)}), away={7: [3]}
    )
    assert isinstance(left, Unplaced)
    assert "a declared conflict, a block or an ended partnership" in left.reason


def test_a_paused_seat_is_still_taken_so_a_full_circle_takes_nobody_more() -> None:
    three = {7: [member(1, "surgery"), member(2, "pharmacy"), member(4, "radiology")]}
    full = rematch_into_circle(NEW, three, max_size=4, away={7: [3]})  # 5 with the paused one, back later
    assert isinstance(full, Unplaced)
    assert "Every circle is full" in full.reason


def test_a_circle_with_room_beside_a_paused_seat_takes_them() -> None:
    three = {7: [member(1, "surgery"), member(2, "pharmacy"), member(4, "radiology")]}
    placed = rematch_into_circle(NEW, three, max_size=5, away={7: [3]})
    assert isinstance(placed, Placement)
    assert (placed.circle, placed.passed_over) == (7, ())


def test_a_circle_passed_over_for_an_active_conflict_is_named_too() -> None:
    placed = rematch_into_circle(NEW, CIRCLES, max_size=4, forbidden=frozenset({pair(20, 1)}))
    assert isinstance(placed, Placement)
    assert (placed.circle, placed.passed_over) == (8, (7,))


def test_a_newcomer_reads_of_no_earlier_pairing_among_the_others() -> None:
    met = frozenset({pair(1, 2)})  # the circle's own members met before, not the newcomer
    placed = rematch_into_circle(NEW, {7: CIRCLES[7]}, max_size=4, history=met)
    assert isinstance(placed, Placement)
    assert placed.repeats == ()
    assert "earlier pairing" not in placed.why


def test_someone_meeting_one_person_again_reads_of_that_one_only() -> None:
    met = frozenset({pair(1, 2), pair(20, 1)})
    placed = rematch_into_circle(NEW, {7: CIRCLES[7]}, max_size=4, history=met)
    assert isinstance(placed, Placement)
    assert placed.repeats == ((1, 20),)
    assert "1 earlier pairing again" in placed.why
