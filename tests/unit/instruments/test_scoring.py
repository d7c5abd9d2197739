"""Scores count reverse items the other way round, and need enough answers to mean something."""

from __future__ import annotations

import pytest

from instruments.catalog import instrument, load_instrument
from instruments.model import Instrument
from instruments.scoring import ScoringError, codebook_rows, score
from tests.unit.instruments.conftest import Write


@pytest.fixture
def trial(write: Write) -> Instrument:
    return load_instrument("trial", write())


def test_a_reverse_item_counts_min_plus_max_minus_the_answer(trial: Instrument) -> None:
    scores = score(trial, {"a": 4, "b": 3, "c": 1})  # c reversed on 1..4: 1 counts as 4
    assert scores.subscales == {"main": pytest.approx(11 / 3)}
    assert scores.total == pytest.approx(11 / 3)
    assert scores.answered == 3


def test_missing_answers_leave_the_mean_of_the_answered_items(trial: Instrument) -> None:
    assert score(trial, {"a": 2, "b": None, "c": 4}).subscales["main"] == pytest.approx(1.5)
    assert score(trial, {"a": 2, "c": 4}).subscales["main"] == pytest.approx(1.5)


def test_too_few_answers_give_no_score(trial: Instrument) -> None:
    scores = score(trial, {"a": 3, "b": None, "note": None})
    assert scores.subscales == {"main": None}
    assert scores.total is None
    assert scores.answered == 1
    assert score(trial, {}).subscales == {"main": None}


def test_the_shipped_relationship_quality_scores_its_guarded_item_reversed() -> None:
    quality = instrument("relationship_quality")
    answers: dict[str, int | None] = {"trust": 5, "heard": 5, "useful": 4, "goals": 4, "guarded": 2}
    assert score(quality, answers).subscales["quality"] == pytest.approx(4.4)  # guarded 2 counts as 4
    assert (
        score(quality, {**answers, "trust": None, "heard": None, "useful": None}).subscales["quality"] is None
    )


def test_the_burnout_screen_scores_its_one_answer() -> None:
    assert score(instrument("burnout"), {"state": 4}).total == 4
    assert score(instrument("burnout"), {"state": None}).total is None


@pytest.mark.parametrize(
    ("answers", "fragment"),
    [
        ({"a": 0}, "item a: 0 is outside 1..4"),
        ({"b": 5}, "item b: 5 is outside 1..4"),
        ({"a": True}, "item a: True is not a whole number"),
        ({"zz": 1}, "item zz: not an item"),
        ({"note": 2}, "item note: free text has no numeric answer"),
    ],
)
def test_an_answer_that_does_not_fit_is_refused_by_name(
    trial: Instrument, answers: dict[str, int | None], fragment: str
) -> None:
    with pytest.raises(ScoringError, match=f"^trial: {fragment}"):
        score(trial, answers)


def test_the_codebook_describes_every_item_subscale_and_the_total(trial: Instrument) -> None:
    rows = {row.variable: row for row in codebook_rows(trial)}
    assert list(rows) == ["trial_a", "trial_b", "trial_c", "trial_note", "trial_main_score", "trial_total"]
    assert rows["trial_a"].type == "integer"
    assert rows["trial_a"].meaning == "First?"
    assert rows["trial_a"].allowed.startswith("1 = No; 2 = Rather not; 3 = Rather yes; 4 = Yes")
    assert "reverse-scored" in rows["trial_c"].meaning
    assert rows["trial_note"].type == "string"
    assert rows["trial_main_score"].type == "number"
    assert "Main" in rows["trial_main_score"].meaning
    assert "fewer than 2" in rows["trial_main_score"].allowed
    assert rows["trial_total"].allowed.startswith("1 to 4")


def test_every_shipped_instrument_gives_distinct_codebook_variables() -> None:
    for name in ("relationship_quality", "circle_safety", "belonging", "burnout"):
        rows = codebook_rows(instrument(name))
        variables = [row.variable for row in rows]
        assert len(set(variables)) == len(variables)
        assert all(row.type and row.meaning and row.allowed for row in rows)
