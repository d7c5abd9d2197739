"""Ended pairs stay apart unless a facilitator allowed them again; a later ending keeps them apart again."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from circles.domain.cohort_rules import CohortSettings
from circles.domain.matching import (
    AssignmentProblem,
    Ending,
    Guide,
    Learner,
    Override,
    assign_guides,
    pair,
    sort_endings,
)
from circles.domain.vocabulary import PairingMode, Role
from circles.services.matching.inputs import MatchInputs, MemberFacts
from circles.services.matching.plan import plan_round

T0 = datetime(2027, 1, 4, 9, tzinfo=UTC)


def at(days: int) -> datetime:
    return T0 + timedelta(days=days)


def test_an_ended_pair_is_kept_apart_with_the_round_it_ended_in() -> None:
    ended = sort_endings([Ending(10, 1, 2, at(20))], [])
    assert ended.forbidden == {pair(1, 10)}
    assert [(e.first, e.second, e.round) for e in ended.apart] == [(10, 1, 2)]
    assert ended.allowed == ()


def test_an_override_given_after_the_ending_allows_the_pair_again() -> None:
    ended = sort_endings([Ending(10, 1, 1, at(5))], [Override(1, 10, at(6))])
    assert ended.forbidden == frozenset()
    assert ended.allowed_pairs == {pair(1, 10)}


def test_an_ending_after_the_override_keeps_the_pair_apart_again() -> None:
    endings = [Ending(10, 1, 1, at(5)), Ending(10, 1, 3, at(40))]
    ended = sort_endings(endings, [Override(10, 1, at(6))])
    assert ended.forbidden == {pair(1, 10)}
    assert ended.apart[0].round == 3  # named by their latest ending


def test_a_pair_that_runs_again_now_is_neither_kept_apart_nor_a_repeat() -> None:
    ended = sort_endings([Ending(10, 1, 1, at(5))], [], running=[pair(1, 10)])
    assert ended.apart == ended.allowed == ()


def test_only_pairs_among_the_given_members_or_involving_one_member_are_kept() -> None:
    ended = sort_endings([Ending(10, 1, 1, at(5)), Ending(11, 2, 1, at(5))], [Override(11, 2, at(9))])
    assert ended.among({1, 10, 2}).forbidden == {pair(1, 10)}
    assert ended.among({1, 10, 2}).allowed == ()
    assert ended.involving(2).allowed_pairs == {pair(2, 11)}
    assert ended.involving(2).apart == ()


def facts(key: int, role: Role, interests: str = "feedback") -> MemberFacts:
    return MemberFacts(key, f"U{key}", role, "", "", 0.0, interests, "", "feedback", "", 2)


def test_the_round_never_pairs_a_coach_and_learner_whose_partnership_ended() -> None:
    # The learner's only good fit is the coach they ended with; another coach with no words in common
    # is proposed instead, and the ex-pair is listed as kept apart.
    members = [facts(1, Role.LEARNER), facts(10, Role.COACH), facts(11, Role.COACH, interests="surgery")]
    ended = sort_endings([Ending(10, 1, 1, at(3))], [])
    inputs = MatchInputs(members, frozenset({pair(1, 10)}), ended.forbidden, [], 2, ended)
    plan = plan_round(inputs, CohortSettings("c", 2, 3, PairingMode.COACH_LEARNER), seed=1)
    assert [(p["first"], p["second"]) for p in plan["pairs"]] == [(11, 1)]
    assert plan["kept_apart"] == [{"first": 10, "second": 1, "round": 1}]
    assert all({1, 10} - set(c["members"]) for c in plan["circles"])
    assert plan["repeats"] == 0


def test_a_pair_allowed_again_may_be_proposed_and_counts_as_a_named_repeat() -> None:
    members = [facts(1, Role.LEARNER), facts(10, Role.COACH)]
    ended = sort_endings([Ending(10, 1, 1, at(3))], [Override(1, 10, at(4))])
    inputs = MatchInputs(members, frozenset({pair(1, 10)}), ended.forbidden, [], 2, ended)
    plan = plan_round(inputs, CohortSettings("c", 2, 3, PairingMode.COACH_LEARNER), seed=1)
    assert [(p["first"], p["second"]) for p in plan["pairs"]] == [(10, 1)]
    assert plan["kept_apart"] == []
    partners = {"first": 10, "second": 1, "where": "partners", "allowed": True}
    assert partners in plan["repeated"]
    assert plan["repeats"] == len(plan["repeated"]) >= 1


def test_assignment_gives_the_ex_coachs_place_to_someone_else_rather_than_repeat_the_pair() -> None:
    learners = [Learner(1, ("research",)), Learner(2, ("teaching",))]
    guides = [Guide(10, 1, frozenset({"research"})), Guide(11, 1)]
    ended = sort_endings([Ending(10, 1, 1, at(3))], [])
    plan = assign_guides(AssignmentProblem(learners, guides, forbidden=ended.forbidden))
    assert {(p.learner, p.guide) for p in plan.pairs} == {(1, 11), (2, 10)}
