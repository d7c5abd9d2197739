"""Re-matching one member: the best circle with room, or the best coach with room, by the round's rules."""

from __future__ import annotations

from circles.domain.matching import (
    Guide,
    Learner,
    Pairing,
    PeerChoice,
    Person,
    Placement,
    Unplaced,
    pair,
    rematch_guide,
    rematch_into_circle,
    rematch_learner,
    rematch_peer,
)


def member(key: int, department: str, offset: float = 0.0) -> Person:
    return Person(key, role="learner", department=department, utc_offset_hours=offset)


CIRCLES = {
    7: [member(1, "nursing"), member(2, "nursing"), member(3, "surgery"), member(4, "pharmacy")],
    8: [member(5, "cardiology"), member(6, "surgery"), member(9, "pharmacy"), member(10, "radiology")],
    9: [member(11, "nursing"), member(12, "surgery"), member(13, "pharmacy"), member(14, "radiology")],
}


def test_a_newcomer_joins_the_circle_with_room_that_they_make_most_varied() -> None:
    placed = rematch_into_circle(member(20, "nursing"), CIRCLES, max_size=6)
    assert isinstance(placed, Placement)
    assert placed.circle == 8
    assert placed.repeats == ()
    assert placed.why.startswith("5 departments")


def test_a_full_circle_or_one_with_a_conflict_is_never_chosen() -> None:
    placed = rematch_into_circle(
        member(20, "nursing"), CIRCLES, max_size=5, forbidden=frozenset({pair(20, 6)})
    )
    assert isinstance(placed, Placement)
    assert placed.circle != 8


def test_an_earlier_partner_is_avoided_before_variety_counts() -> None:
    placed = rematch_into_circle(member(20, "nursing"), CIRCLES, max_size=6, history=frozenset({pair(20, 9)}))
    assert isinstance(placed, Placement)
    assert placed.circle == 9


def test_when_every_circle_is_full_or_blocked_the_member_is_told_why() -> None:
    left = rematch_into_circle(
        member(20, "nursing"), {8: CIRCLES[8]}, max_size=6, forbidden=frozenset({pair(20, 5)})
    )
    assert isinstance(left, Unplaced)
    assert "conflict" in left.reason
    full = rematch_into_circle(member(20, "nursing"), CIRCLES, max_size=4)
    assert isinstance(full, Unplaced)


def test_a_learner_is_paired_with_the_best_fitting_coach_who_still_has_room() -> None:
    guides = [
        Guide(30, 1, frozenset({"research"})),
        Guide(31, 2, frozenset({"teaching"})),
        Guide(32, 2, frozenset(), frozenset({"research"})),
    ]
    chosen = rematch_learner(Learner(1, ("research",)), guides, taken={30: 1})
    assert isinstance(chosen, Pairing)
    assert (chosen.guide, chosen.fit, chosen.matched_terms) == (32, 1, ("research",))


def test_a_learner_whose_only_coach_offered_no_places_is_told_what_helps() -> None:
    left = rematch_learner(Learner(1, ("research",)), [Guide(30, 0, frozenset({"research"}))], taken={})
    assert isinstance(left, Unplaced)
    assert "has not said how many partners they take (`/circles profile`)" in left.reason


def test_a_learner_is_never_paired_with_a_coach_they_have_a_conflict_with() -> None:
    guides = [Guide(30, 1, frozenset({"research"}))]
    left = rematch_learner(Learner(1, ("research",)), guides, taken={}, forbidden=frozenset({pair(1, 30)}))
    assert isinstance(left, Unplaced)


def test_equal_coaches_are_chosen_between_by_the_seed_the_same_way_each_time() -> None:
    guides = [Guide(k, 1) for k in range(30, 36)]
    chosen = {rematch_learner(Learner(1), guides, taken={}, seed=seed) for seed in range(20)}
    assert len({c.guide for c in chosen if isinstance(c, Pairing)}) > 1
    first = rematch_learner(Learner(1), guides, taken={}, seed=3)
    assert first == rematch_learner(Learner(1), list(reversed(guides)), taken={}, seed=3)


def peer(key: int, *terms: str) -> Person:
    return Person(key, role="peer", terms=frozenset(terms))


def test_a_peer_is_paired_with_the_free_peer_they_share_most_with() -> None:
    chosen = rematch_peer(peer(1, "sleep", "grief"), [peer(2, "sleep"), peer(3, "sleep", "grief"), peer(4)])
    assert isinstance(chosen, PeerChoice)
    assert chosen.partner == 3
    assert "grief" in chosen.why
    assert chosen.repeat is False


def test_a_peer_is_not_paired_again_with_an_earlier_partner_while_someone_new_is_free() -> None:
    chosen = rematch_peer(peer(1, "sleep"), [peer(2, "sleep"), peer(3)], history=frozenset({pair(1, 2)}))
    assert isinstance(chosen, PeerChoice)
    assert chosen.partner == 3


def test_a_repeat_is_chosen_and_said_only_when_every_free_peer_is_one() -> None:
    chosen = rematch_peer(peer(1), [peer(2)], history=frozenset({pair(1, 2)}))
    assert isinstance(chosen, PeerChoice)
    assert chosen.repeat is True
    assert "met before" in chosen.why


def test_a_peer_with_a_declared_conflict_is_never_chosen() -> None:
    chosen = rematch_peer(peer(1), [peer(2)], forbidden=frozenset({pair(1, 2)}))
    assert isinstance(chosen, Unplaced)
    assert "conflict" in chosen.reason


def test_peer_ties_are_broken_by_the_seed_alone() -> None:
    candidates = [peer(k) for k in range(2, 12)]
    picks = {seed: rematch_peer(peer(1), candidates, seed=seed) for seed in range(6)}
    again = {seed: rematch_peer(peer(1), list(reversed(candidates)), seed=seed) for seed in range(6)}
    assert picks == again
    assert len({p.partner for p in picks.values() if isinstance(p, PeerChoice)}) > 1


def test_a_coach_with_room_gets_the_free_learner_who_fits_best() -> None:
    coach = Guide(9, capacity=2, terms=frozenset({"leadership", "wellbeing"}))
    learners = [Learner(1, ("surgery",)), Learner(2, ("wellbeing", "leadership")), Learner(3, ("wellbeing",))]
    chosen = rematch_guide(coach, learners)
    assert isinstance(chosen, Pairing)
    assert chosen.learner == 2
    assert chosen.guide == 9


def test_a_coach_is_never_given_a_learner_they_have_a_conflict_with() -> None:
    coach = Guide(9, capacity=2, terms=frozenset({"wellbeing"}))
    chosen = rematch_guide(coach, [Learner(2, ("wellbeing",))], forbidden=frozenset({pair(2, 9)}))
    assert isinstance(chosen, Unplaced)


def test_a_newcomer_joins_people_rather_than_a_circle_everyone_left() -> None:
    emptied = {**CIRCLES, 11: []}  # its members all left: nobody would be there to meet

    placed = rematch_into_circle(member(20, "nursing"), emptied, max_size=6)

    assert isinstance(placed, Placement)
    assert placed.circle == 8
    only_empty = rematch_into_circle(member(20, "nursing"), {11: []}, max_size=6)
    assert isinstance(only_empty, Unplaced)
    assert only_empty.reason == "Nobody is left in this round's circles: the next round places them."
