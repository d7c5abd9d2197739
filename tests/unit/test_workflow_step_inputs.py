"""What a Workflow Builder step accepts, and the one line its builder reads when it refuses."""

from __future__ import annotations

import pytest

from bot.views.workflow_steps import FAILURE_MAX, step_failure
from circles.domain.vocabulary import Role
from circles.domain.workflow_steps import (
    STEP_TEXT_MAX,
    StepInputProblem,
    person_input,
    role_input,
    slug_input,
    text_input,
)
from circles.errors import CohortNotFound, NoFacilitators, RoleNotOffered


def refusal(check: object, value: object) -> str:
    assert callable(check)
    with pytest.raises(StepInputProblem) as refused:
        check(value)
    return step_failure(refused.value)


def test_a_person_is_a_slack_user_id() -> None:
    assert person_input("U0LEE") == "U0LEE"
    assert person_input("W0GRID") == "W0GRID"


@pytest.mark.parametrize("value", [None, "", "lee", "<@U0LEE>", "C0CHANNEL", 42, "U" + "1" * 30])
def test_anything_but_a_user_id_is_refused_as_a_person(value: object) -> None:
    expected = "The person is missing or not a Slack user; choose someone in this workspace."
    assert refusal(person_input, value) == expected


def test_a_cohorts_short_name_is_trimmed_and_lower_cased() -> None:
    assert slug_input("  PGY1-Spring ") == "pgy1-spring"


@pytest.mark.parametrize("value", [None, "", "   ", 3])
def test_a_missing_cohort_is_refused(value: object) -> None:
    assert refusal(slug_input, value).startswith("The cohort is missing")


@pytest.mark.parametrize(
    ("value", "role"), [("learner", Role.LEARNER), (" Coach ", Role.COACH), ("PEER", Role.PEER)]
)
def test_roles_are_read_in_any_case(value: str, role: Role) -> None:
    assert role_input(value) == role


@pytest.mark.parametrize("value", ["captain", "", None, "learners"])
def test_an_unknown_role_lists_the_roles(value: object) -> None:
    assert refusal(role_input, value) == "Unknown role: use one of learner, coach, mentor, peer."


def test_the_message_is_trimmed_and_may_be_as_long_as_the_limit() -> None:
    assert text_input("  hello \n") == "hello"
    assert text_input("x" * STEP_TEXT_MAX) == "x" * STEP_TEXT_MAX


@pytest.mark.parametrize("value", [None, "", " \n\t "])
def test_an_empty_message_is_refused(value: object) -> None:
    assert refusal(text_input, value) == "The message is empty; write what the facilitators should read."


@pytest.mark.parametrize(
    "value",
    ["\u3164", "\u2800\u2800", "\u0301", " \u3164 \u200d "],
    ids=["hangul filler", "blank braille", "lone mark", "mixed"],
)
def test_a_message_that_shows_nothing_is_refused_as_empty(value: str) -> None:
    assert refusal(text_input, value) == "The message is empty; write what the facilitators should read."


def test_a_message_with_a_mark_on_a_letter_is_taken() -> None:
    assert text_input("Cafe\u0301 at 5") == "Cafe\u0301 at 5"


def test_an_oversized_message_is_refused_with_its_length_and_never_quoted() -> None:
    text = "secret " * 400
    said = refusal(text_input, text)
    assert said == f"The message has {len(text.strip())} characters; at most {STEP_TEXT_MAX} fit."
    assert "secret" not in said


def test_an_unknown_cohort_names_the_nearest_but_never_what_was_typed() -> None:
    said = step_failure(CohortNotFound("pgy1-sprng", ["pgy1-spring", "pgy2-spring"]))
    assert said == (
        "No cohort with that short name is open in this workspace. Did you mean pgy1-spring or pgy2-spring?"
    )
    alone = step_failure(CohortNotFound("zzz", []))
    assert alone.endswith("open in this workspace. Check the short name with its facilitators.")


def test_rule_refusals_are_one_line() -> None:
    assert step_failure(RoleNotOffered("mentor", ["learner", "coach"])) == (
        "This cohort takes learner, coach members, not that role."
    )
    assert step_failure(NoFacilitators("PGY-1")) == "PGY-1 has no facilitator yet, so nobody could be told."
    assert (
        step_failure(RuntimeError("boom"))
        == "Circles could not finish this step; try the workflow again later."
    )
    for error in (CohortNotFound("a\nb", []), NoFacilitators("x\ny" * 500), RuntimeError("x\ny")):
        assert "\n" not in step_failure(error)
        assert len(step_failure(error)) <= FAILURE_MAX


def test_a_message_is_cleaned_as_all_typed_text_is_before_it_reaches_the_facilitators() -> None:
    # Before, a direction override reordered what the facilitators read, and control characters stayed.
    assert text_input("Please call \u202eme, urgent\u202c \x07now") == "Please call me, urgent now"
