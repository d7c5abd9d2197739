"""Matching reads profiles with the directory's words and scores pairs exactly as the directory does."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from circles.domain.fit import Candidate, score, wanted_terms
from circles.domain.matching import fit, guide_from_profile, learner_from_profile, pairs_within, profile_terms
from circles.domain.matching.fit_matrix import fit_matrix

WORDS = ("research", "researches", "teaching", "the", "leadership", "wellbeing", "studies", "study", "care")
text = st.lists(st.sampled_from(WORDS), max_size=6).map(" ".join)


def test_profile_text_becomes_the_directorys_words() -> None:
    assert profile_terms("Research, teaching", "the studies") == frozenset({"research", "teaching", "study"})


def test_a_group_adds_every_pair_of_its_members_to_the_history() -> None:
    assert pairs_within([3, 1, 2]) == {frozenset({1, 2}), frozenset({1, 3}), frozenset({2, 3})}


def test_a_topic_overrides_the_learners_profile_like_in_the_directory() -> None:
    learner = learner_from_profile(1, topic="leadership", aspirations="research", interests="care")
    assert learner.terms == ("leadership",)


@given(text, text, text, text, text)
def test_fit_is_the_directorys_score_for_any_profiles(
    aspirations: str, interests: str, skills: str, offers: str, guide_interests: str
) -> None:
    learner = learner_from_profile(1, aspirations=aspirations, interests=interests)
    guide = guide_from_profile(2, 3, skills=skills, offers=offers, interests=guide_interests)
    ranked = score(
        Candidate(item=2, name="g", skills=skills, offers=offers, interests=guide_interests, remaining=3),
        wanted_terms(None, aspirations, interests),
    )
    assert fit(learner, guide) == (ranked.score, ranked.matches)
    assert fit_matrix([learner], [guide])[0, 0] == ranked.score
