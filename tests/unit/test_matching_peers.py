"""Peer pairs: shared interests, no repeats while avoidable, a trio for an odd one, reasons otherwise."""

from __future__ import annotations

from circles.domain.matching import PeerProblem, Person, pair, pair_peers, profile_terms


def peer(key: int, interests: str, offset: float | None = 0.0) -> Person:
    return Person(key, role="peer", utc_offset_hours=offset, terms=profile_terms(interests))


def test_peers_pair_with_whoever_shares_their_interests() -> None:
    people = [
        peer(1, "research, statistics"),
        peer(2, "teaching, simulation"),
        peer(3, "statistics and research methods"),
        peer(4, "simulation teaching"),
    ]
    plan = pair_peers(PeerProblem(people))
    assert [g.members for g in plan.groups] == [(1, 3), (2, 4)]
    assert plan.groups[0].shared_terms == ("research", "statistic")
    assert plan.groups[0].fit == 2
    assert plan.groups[0].why.startswith("fit 2; ")
    assert "in common: research, statistic" in plan.groups[0].why


def test_an_odd_one_out_joins_a_pair_as_a_trio() -> None:
    plan = pair_peers(PeerProblem([peer(k, "care") for k in range(5)]))
    assert sorted(len(g.members) for g in plan.groups) == [2, 3]
    assert plan.unplaced == ()


def test_an_odd_one_out_who_conflicts_with_both_partners_of_the_only_pair_is_left_out_with_the_reason() -> (
    None
):
    forbidden = frozenset({pair(3, 1), pair(3, 2)})
    plan = pair_peers(PeerProblem([peer(k, "care") for k in (1, 2, 3)], forbidden=forbidden))
    assert [g.members for g in plan.groups] == [(1, 2)]
    assert [u.key for u in plan.unplaced] == [3]
    assert "conflict" in plan.unplaced[0].reason


def test_a_single_peer_is_told_there_is_nobody_to_pair_with() -> None:
    plan = pair_peers(PeerProblem([peer(1, "care")]))
    assert plan.groups == ()
    assert "needs at least 2" in plan.unplaced[0].reason


def test_earlier_partners_are_not_paired_again_even_when_they_share_the_most() -> None:
    people = [peer(1, "research"), peer(2, "research"), peer(3, "teaching"), peer(4, "teaching")]
    plan = pair_peers(PeerProblem(people, history=frozenset({pair(1, 2), pair(3, 4)})))
    assert plan.repeats == ()
    assert {g.members for g in plan.groups} in ({(1, 3), (2, 4)}, {(1, 4), (2, 3)})


def test_peers_in_far_apart_time_zones_are_not_paired_when_near_ones_share_as_much() -> None:
    people = [peer(1, "care", -8.0), peer(2, "care", 8.0), peer(3, "care", -7.0), peer(4, "care", 9.0)]
    plan = pair_peers(PeerProblem(people))
    assert [g.members for g in plan.groups] == [(1, 3), (2, 4)]


def test_of_three_the_one_left_out_is_the_one_whose_absence_avoids_a_repeat() -> None:
    # 1 and 3 ended their partnership; 1 and 5 shared a circle before; 3 and 5 have never met.
    for seed in range(5):
        plan = pair_peers(
            PeerProblem(
                [peer(k, "care") for k in (1, 3, 5)],
                history=frozenset({pair(1, 5)}),
                forbidden=frozenset({pair(1, 3)}),
                seed=seed,
            )
        )
        assert [(g.members, g.repeats) for g in plan.groups] == [((3, 5), ())]
        assert [u.key for u in plan.unplaced] == [1]
