"""Ranking coaches and mentors by fit: what counts, in which order, and how it is explained."""

from __future__ import annotations

import pytest

from circles.domain.fit import Candidate, rank, score, stem, terms, wanted_terms


def coach(
    name: str,
    *,
    skills: str = "",
    offers: str = "",
    interests: str = "",
    remaining: int = 1,
) -> Candidate[str]:
    return Candidate(
        item=name,
        name=name,
        skills=skills,
        offers=offers,
        interests=interests,
        remaining=remaining,
        tiebreak=name,
    )


def order(candidates: list[Candidate[str]], wanted: tuple[str, ...]) -> list[str]:
    return [r.candidate.item for r in rank(candidates, wanted)]


def test_free_text_becomes_lowercase_words_without_punctuation_stop_words_or_repeats() -> None:
    assert terms("Feedback, CARDIOLOGY; and the feedback/Research!") == ("feedback", "cardiology", "research")


def test_plurals_fold_onto_the_singular() -> None:
    assert [stem(w) for w in ("mentors", "studies", "classes", "skills", "analysis", "focus")] == [
        "mentor",
        "study",
        "class",
        "skill",
        "analysis",
        "focus",
    ]
    assert terms("Leading teams") == terms("leading team")


def test_words_in_other_scripts_and_accents_are_kept() -> None:
    assert terms("Éthique, pédiatrie") == ("éthique", "pédiatrie")


def test_a_topic_is_matched_instead_of_the_learners_own_profile() -> None:
    assert wanted_terms("research", "surgery", "running") == ("research",)


def test_without_a_topic_the_learners_aspirations_and_interests_are_matched() -> None:
    assert wanted_terms(None, "Cardiology fellowship", "teaching") == ("cardiology", "fellowship", "teaching")
    assert wanted_terms("the", "surgery", "") == ("surgery",)  # a topic of stop words says nothing


def test_skills_and_offers_weigh_double_what_interests_do() -> None:
    wanted = ("feedback",)
    strong = coach("Ada", skills="giving feedback")
    offered = coach("Bea", offers="Feedback on presentations")
    light = coach("Cy", interests="feedback culture")
    assert [score(c, wanted).score for c in (strong, offered, light)] == [2, 2, 1]
    assert order([light, strong], wanted) == ["Ada", "Cy"]


def test_each_wanted_word_counts_once_even_when_the_coach_lists_it_everywhere() -> None:
    everywhere = coach("Ada", skills="feedback", offers="feedback", interests="feedback")
    assert score(everywhere, ("feedback",)).score == 2


def test_more_matching_words_rank_higher() -> None:
    wanted = terms("feedback cardiology")
    one = coach("Ada", skills="feedback")
    two = coach("Zed", skills="cardiology", offers="feedback")
    assert order([one, two], wanted) == ["Zed", "Ada"]


def test_the_explanation_lists_the_matched_words_in_the_learners_order() -> None:
    ranked = score(
        coach("Ada", skills="Cardiology", interests="giving feedback"), terms("feedback, cardiology")
    )
    assert ranked.matches == ("feedback", "cardiology")
    assert score(coach("Bo", skills="surgery"), ("feedback",)).matches == ()


def test_equal_fits_put_the_coach_with_more_room_first_then_sort_by_name() -> None:
    wanted = ("feedback",)
    roomy = coach("Zoe", skills="feedback", remaining=3)
    busy_b = coach("bea", skills="feedback", remaining=1)
    busy_a = coach("Ada", skills="feedback", remaining=1)
    assert order([busy_b, roomy, busy_a], wanted) == ["Zoe", "Ada", "bea"]


def test_coaches_with_no_room_come_last_and_are_marked_full_however_well_they_fit() -> None:
    wanted = ("feedback",)
    perfect_but_full = coach("Ada", skills="feedback", offers="feedback", remaining=0)
    no_match = coach("Bo", skills="surgery", remaining=1)
    ranked = rank([perfect_but_full, no_match], wanted)
    assert [r.candidate.item for r in ranked] == ["Bo", "Ada"]
    assert [r.full for r in ranked] == [False, True]


def test_the_order_is_the_same_whatever_order_coaches_arrive_in() -> None:
    wanted = ("feedback",)
    twins = [
        Candidate(item=f"{i}", name="Sam", skills="", offers="", interests="", remaining=1, tiebreak=f"U{i}")
        for i in range(5)
    ]
    assert order(twins, wanted) == order(list(reversed(twins)), wanted) == ["0", "1", "2", "3", "4"]


def test_with_nothing_to_match_everyone_scores_zero_and_room_decides() -> None:
    ranked = rank([coach("Ada", remaining=1), coach("Bo", remaining=2)], ())
    assert [(r.candidate.item, r.score) for r in ranked] == [("Bo", 0), ("Ada", 0)]


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("हिन्दी", ("हिन्दी",)),  # Hindi: a word written with combining marks is one word, not dropped
        ("தமிழ் coaching", ("தமிழ்", "coaching")),
        ("re\u0301sume\u0301 review", ("résumé", "review")),  # decomposed accents read as the composed word
        ("Résumé, REVIEW", ("résumé", "review")),
    ],
)
def test_a_topic_in_any_script_is_read_as_its_whole_words(typed: str, read: tuple[str, ...]) -> None:
    assert terms(typed) == read


def test_a_coach_who_wrote_a_word_with_composed_accents_is_found_by_one_typed_decomposed() -> None:
    candidates = [coach("U0AAA", skills="interviews"), coach("U0ZZZ", offers="résumé review")]
    assert order(candidates, terms("re\u0301sume\u0301")) == ["U0ZZZ", "U0AAA"]
    assert score(candidates[1], terms("re\u0301sume\u0301")).matches == ("résumé",)
