"""A cohort's words of care: cleaned as people will read them, with defaults, and one answer a minute."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from circles.domain.care import (
    DEFAULT_FREE_TEXT_HINT,
    DEFAULT_WELLBEING_RESOURCES,
    direct_answer_key,
    free_text_hint,
    shared_hint,
    wellbeing_resources,
    wording_problems,
)
from circles.domain.cohort_rules import CohortSettings, settings_problems


def test_the_default_wording_says_no_patient_information_and_invents_no_phone_number() -> None:
    assert DEFAULT_FREE_TEXT_HINT == "Please don't include patient information."
    assert "emergency" in DEFAULT_WELLBEING_RESOURCES
    assert not any(character.isdigit() for character in DEFAULT_WELLBEING_RESOURCES)


def test_settings_keep_the_words_stripped_and_empty_words_mean_the_default() -> None:
    settings = CohortSettings(
        name="PGY-1",
        free_text_hint="  No patient\n details,  please. ",
        wellbeing_resources="\n Call Sam.\n\n",
    )
    assert settings.free_text_hint == "No patient details, please."  # a hint is one line
    assert settings.wellbeing_resources == "Call Sam."
    blank = CohortSettings(name="PGY-1", free_text_hint="   ", wellbeing_resources="")
    assert (blank.free_text_hint, blank.wellbeing_resources) == (None, None)
    assert free_text_hint(None) == DEFAULT_FREE_TEXT_HINT
    assert wellbeing_resources(" ") == DEFAULT_WELLBEING_RESOURCES
    assert wellbeing_resources("Line one\nLine two") == "Line one\nLine two"


def test_the_hint_holds_150_characters_and_the_resources_1000() -> None:
    assert wording_problems("x" * 150, "y" * 1000) == {}
    assert set(wording_problems("x" * 151, "y" * 1001)) == {"free_text_hint", "wellbeing_resources"}
    assert settings_problems(CohortSettings(name="PGY-1", free_text_hint=" " * 400)) == {}


def test_an_emoji_counts_twice_as_in_slack_so_a_wording_kept_always_opens_in_the_settings_form() -> None:
    assert wording_problems("🙏" * 75, "🙏" * 500) == {}
    # Before, 501 of them were kept, and the settings form (1,000 at most) could not open again.
    assert set(wording_problems("🙏" * 76, "🙏" * 501)) == {"free_text_hint", "wellbeing_resources"}


def test_a_form_for_several_cohorts_uses_their_hint_only_when_they_agree() -> None:
    assert shared_hint([]) == DEFAULT_FREE_TEXT_HINT
    assert shared_hint(["No patient details."]) == "No patient details."
    assert shared_hint(["No patient details.", " No patient details. "]) == "No patient details."
    assert shared_hint(["No patient details.", None]) == DEFAULT_FREE_TEXT_HINT
    assert shared_hint([None, None]) == DEFAULT_FREE_TEXT_HINT


def test_someone_typing_gets_one_answer_a_minute_however_much_they_type() -> None:
    start = datetime(2027, 1, 11, 15, 0, 0, tzinfo=UTC)
    same_minute = {direct_answer_key("U0LEE", start + timedelta(seconds=s)) for s in range(60)}
    assert same_minute == {"dm-answer:U0LEE:2027-01-11T15:00"}
    assert direct_answer_key("U0LEE", start + timedelta(minutes=1)) != direct_answer_key("U0LEE", start)
    assert direct_answer_key("U0ADA", start) != direct_answer_key("U0LEE", start)
    elsewhere = start.astimezone(timezone(timedelta(hours=-6)))
    assert direct_answer_key("U0LEE", elsewhere) == direct_answer_key("U0LEE", start)
