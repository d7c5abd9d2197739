"""The last check before writing: a column with a Slack ID, an email or a name is refused."""

from __future__ import annotations

import time

import pytest

from circles.domain.research.columns import WITHHELD, Column, Table
from circles.domain.research.pseudonyms import pseudonym
from circles.domain.research.tables import (
    Identifying,
    IdentifyingColumn,
    refuse_identifying,
    withhold_identifying,
)

NAMES = ["Ada Lovelace", "Grace Hopper"]


def test_pseudonymous_coarse_columns_pass() -> None:
    refuse_identifying(
        {
            "person": ["P-ABCDEFGH2345", "P-UVWXYZ234567", "P-WAAAAAAAAAAA"],
            "week": ["2027-W03", "2026-W53", None],
            "rating": [4, 5, 3],
        },
        NAMES,
    )


def test_real_pseudonyms_pass_whatever_letter_they_start_with() -> None:
    people = [pseudonym(b"key", 3, f"U{number:010d}") for number in range(500)]
    refuse_identifying({"person": people}, NAMES)


@pytest.mark.parametrize("value", ["U01ABCDEF23", "W0123456789", "said hi to <@U0ABCDEFGH>", "UABCDEFGH"])
def test_a_slack_id_anywhere_in_a_value_is_refused(value: str) -> None:
    with pytest.raises(IdentifyingColumn) as refused:
        refuse_identifying({"person": ["P-ABCDEFGH2345", value]}, NAMES)
    assert refused.value.kind is Identifying.SLACK_ID
    assert (refused.value.column, refused.value.row) == ("person", 1)


def test_a_short_code_starting_with_u_is_not_a_slack_id() -> None:
    refuse_identifying({"unit": ["U1234567", "W12", "Ward 3"]}, NAMES)


@pytest.mark.parametrize("value", ["ada@example.org", "write to g.hopper@hospital.nhs.uk please"])
def test_an_email_is_refused(value: str) -> None:
    with pytest.raises(IdentifyingColumn) as refused:
        refuse_identifying({"note": [value]}, NAMES)
    assert refused.value.kind is Identifying.EMAIL


@pytest.mark.parametrize("value", ["Ada", "met with grace today", "LOVELACE"])
def test_a_known_name_in_any_case_is_refused(value: str) -> None:
    with pytest.raises(IdentifyingColumn) as refused:
        refuse_identifying({"note": ["fine", value]}, NAMES)
    assert refused.value.kind is Identifying.NAME


def test_a_name_inside_a_longer_word_is_not_a_name() -> None:
    refuse_identifying({"note": ["Adamant", "graceful"]}, NAMES)


def test_the_refusal_names_the_column_but_never_repeats_the_value() -> None:
    with pytest.raises(IdentifyingColumn) as refused:
        refuse_identifying({"note": ["ask ada.lovelace@example.org"]}, [])
    assert "note" in str(refused.value)
    assert "lovelace" not in str(refused.value).lower()


@pytest.mark.parametrize(
    "value", ["Unfortunately we rarely met", "Wonderful to have a mentor", "Understanding, kind, Wednesdays"]
)
def test_an_ordinary_word_starting_with_u_or_w_is_not_a_slack_id(value: str) -> None:
    refuse_identifying({"words": [value]}, NAMES)


def test_a_workspace_of_thousands_of_names_is_checked_against_a_large_cohort_in_moments() -> None:
    """The largest cohort's export reads every cell against every name of the workspace: it must end."""
    names = [f"Given{n} Family{n}" for n in range(5000)]
    cells = {
        "person": [f"P-ABCDEFGH{n % 1000:04d}" for n in range(20000)],
        "week": ["2027-W03"] * 20000,
        "words": [f"I felt listened to in week {n % 30}" for n in range(20000)],
    }
    started = time.perf_counter()
    refuse_identifying(cells, names)
    assert time.perf_counter() - started < 3
    with pytest.raises(IdentifyingColumn):
        refuse_identifying({**cells, "words": [*cells["words"], "thanks to given4999 for listening"]}, names)


def own_words(*cells: str | None) -> Table:
    """A survey table of members' own words shared for research, beside a version facilitators wrote."""
    columns = (
        Column("version", "string", "the statement's version"),
        Column("words", "string", "what the member wrote", own_words=True),
    )
    return Table("survey_answers", "Survey answers", columns, [("v1", cell) for cell in cells])


def test_a_members_own_words_that_could_name_someone_are_withheld_and_the_rest_kept_whole() -> None:
    table = own_words(
        "I will ask Grace about nights",
        "felt heard",
        "write to g.hopper@hospital.nhs.uk",
        "said hi to <@U0ABCDEFGH>",
        None,
        "grace under pressure",
    )
    kept, withheld = withhold_identifying(table, NAMES)
    assert [row[1] for row in kept.rows] == [WITHHELD, "felt heard", WITHHELD, WITHHELD, None, WITHHELD]
    assert withheld == 4
    assert [row[0] for row in kept.rows] == ["v1"] * 6
    refuse_identifying(kept.column_values(), NAMES)  # nothing left to stop the export


def test_withholding_keeps_nothing_of_the_words_it_withholds() -> None:
    kept, _ = withhold_identifying(own_words("Ada listened to me on a bad night"), NAMES)
    assert "listened" not in repr(kept)


def test_a_value_facilitators_wrote_is_never_withheld_it_still_stops_the_export() -> None:
    table = Table(
        "people",
        "People",
        (Column("version", "string", "the statement's version"),),
        [("ada-draft",)],
    )
    kept, withheld = withhold_identifying(table, NAMES)
    assert (kept.rows, withheld) == ([("ada-draft",)], 0)
    with pytest.raises(IdentifyingColumn):
        refuse_identifying(kept.column_values(), NAMES)


@pytest.mark.parametrize(
    ("display_name", "value"),
    [
        ("Okafor, Fay", "Dr Okafor stayed late"),
        ("Fay Okafor, RN", "thanks Okafor"),
        ("Ada (Lovelace)", "Lovelace listened"),
        ("“Noor” Haddad", "Noor was there"),
    ],
)
def test_a_name_written_with_punctuation_around_it_in_a_display_name_is_still_found(
    display_name: str, value: str
) -> None:
    with pytest.raises(IdentifyingColumn) as refused:
        refuse_identifying({"note": [value]}, [display_name])
    assert refused.value.kind is Identifying.NAME
    kept, withheld = withhold_identifying(own_words(value), [display_name])
    assert (kept.rows[0][1], withheld) == (WITHHELD, 1)


def test_pronouns_in_a_display_name_are_not_taken_for_a_name() -> None:
    refuse_identifying({"note": ["she said her rota changed"]}, ["Fay Okafor (she/her)"])


NUMBERED = ["Sam Lee 2027", "Ward 20 Charge Nurse", "Kim (#3)"]


def test_a_part_of_a_display_name_without_a_letter_is_not_a_name() -> None:
    refuse_identifying({"note": ["20 of us met in 2027", "room 3"]}, NUMBERED)
    kept, withheld = withhold_identifying(own_words("by 2027 I had 20 shifts"), NUMBERED)
    assert (kept.rows[0][1], withheld) == ("by 2027 I had 20 shifts", 0)


@pytest.mark.parametrize("value", ["thanks Lee", "the charge nurse helped", "KIM"])
def test_the_words_of_a_display_name_holding_a_number_are_still_names(value: str) -> None:
    with pytest.raises(IdentifyingColumn) as refused:
        refuse_identifying({"note": [value]}, NUMBERED)
    assert refused.value.kind is Identifying.NAME


@pytest.mark.parametrize(
    ("names", "value"),
    [
        (["José Okafor"], "I asked Jose\u0301 about it"),  # the name composed, the words typed decomposed
        (["Jose\u0301 Okafor"], "I asked José about it"),  # and the other way round
        (["हिन्दी Rao"], "met हिन्दी today"),  # a name written with combining marks
    ],
)
def test_a_name_is_found_however_its_accents_were_typed(names: list[str], value: str) -> None:
    with pytest.raises(IdentifyingColumn) as refused:
        refuse_identifying({"note": [value]}, names)
    assert refused.value.kind is Identifying.NAME


@pytest.mark.parametrize(
    ("names", "value"),
    [
        (["สมชาย ใจดี"], "สมชายช่วยฉันมาก"),  # Thai is written without spaces between words
        (["สมชาย ใจดี"], "คุณใจดีมาก"),  # a name ending in a vowel sign, inside other words
        (["山田 太郎"], "山田さんに相談した"),  # Japanese
    ],
)
def test_a_name_in_a_script_written_without_spaces_is_found_inside_the_words(
    names: list[str], value: str
) -> None:
    with pytest.raises(IdentifyingColumn) as refused:
        refuse_identifying({"note": [value]}, names)
    assert refused.value.kind is Identifying.NAME


def test_a_name_ending_in_a_vowel_sign_keeps_it_and_withholds_no_word_merely_sharing_its_start() -> None:
    refuse_identifying({"note": ["सीतापुर जाना है"]}, ["सीता Rao"])  # Sitapur, a town: not the name Sita
