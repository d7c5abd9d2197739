"""The last check before writing: a column with a Slack ID, an email or a name is refused."""

from __future__ import annotations

import time

import pytest

from circles.domain.research.pseudonyms import pseudonym
from circles.domain.research.tables import Identifying, IdentifyingColumn, refuse_identifying

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
