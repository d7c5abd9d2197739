"""Pseudonymous IDs: stable for a person in a cohort, other across cohorts and keys, no Slack ID inside."""

from __future__ import annotations

import re

import pytest

from circles.domain.research.pseudonyms import EmptyResearchKey, pseudonym

KEY = b"installation-secret-0123456789abcdef"


def test_the_same_person_in_the_same_cohort_always_gets_the_same_id() -> None:
    assert pseudonym(KEY, 7, "U01ABCDEF23") == pseudonym(KEY, 7, "U01ABCDEF23")


def test_an_id_is_p_and_twelve_base32_characters() -> None:
    assert re.fullmatch(r"P-[A-Z2-7]{12}", pseudonym(KEY, 7, "U01ABCDEF23"))


def test_the_same_person_gets_a_different_id_in_another_cohort() -> None:
    assert pseudonym(KEY, 7, "U01ABCDEF23") != pseudonym(KEY, 8, "U01ABCDEF23")


def test_another_installation_key_gives_other_ids() -> None:
    assert pseudonym(KEY, 7, "U01ABCDEF23") != pseudonym(b"another-installation", 7, "U01ABCDEF23")


def test_different_people_get_different_ids() -> None:
    ids = {pseudonym(KEY, 7, f"U{number:010d}") for number in range(2000)}
    assert len(ids) == 2000


def test_cohort_and_user_cannot_run_into_each_other() -> None:
    assert pseudonym(KEY, 1, "2U0ABCDEFGH") != pseudonym(KEY, 12, "U0ABCDEFGH")


@pytest.mark.parametrize("user", ["U01ABCDEF23", "W0123456789", "UABCDEFGHIJKL"])
def test_no_part_of_the_slack_id_shows_in_the_pseudonym(user: str) -> None:
    made = pseudonym(KEY, 7, user)
    assert user not in made
    assert user[1:7] not in made


def test_an_empty_key_is_refused() -> None:
    with pytest.raises(EmptyResearchKey):
        pseudonym(b"", 7, "U01ABCDEF23")
