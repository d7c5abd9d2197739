"""Invisible format characters go from typed text, but the joiners emoji and scripts need stay; a slug is
read as typed in full-width letters; a cohort's name is one line, whichever way it was given."""

from __future__ import annotations

import textwrap

import pytest

from circles.domain.cohort_file import parse_cohort_file
from circles.domain.cohort_rules import CohortSettings, settings_problems, typed_slug
from circles.domain.text import clean_typed


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("nights\u200b", "nights"),
        ("\ufeffstatus nights", "status nights"),
        ("ni\u2060ghts", "nights"),
        ("soft\u00adhyphen", "softhyphen"),
        ("a nurse 👩\u200d⚕️ stays whole", "a nurse 👩\u200d⚕️ stays whole"),
        ("می\u200cخواهم keeps its non-joiner", "می\u200cخواهم keeps its non-joiner"),
    ],
)
def test_invisible_format_characters_go_and_joiners_stay(typed: str, kept: str) -> None:
    assert clean_typed(typed) == kept


@pytest.mark.parametrize("typed", ["ｐｇｙ１", "PGY1", "Ｐｇｙ1", "pgy\u200c1", "pgy\u200d1"])
def test_a_slug_typed_full_width_or_with_a_joiner_is_the_plain_slug(typed: str) -> None:
    assert typed_slug(typed) == "pgy1"


@pytest.mark.parametrize("name", ["\u200c", "\u200d", "\u3164", "\u2800", " \u0301 ", "\ufe0f"])
def test_a_name_that_shows_nothing_is_refused_as_empty(name: str) -> None:
    assert settings_problems(CohortSettings(name=name))["name"] == "Give the cohort a name."


def test_a_cohort_name_from_a_form_is_kept_on_one_line() -> None:
    assert CohortSettings(name="Night\tshifts\n 2027 ").name == "Night shifts 2027"


def test_a_cohort_files_name_written_over_two_lines_is_read_on_one_line() -> None:
    text = """\
    cohort:
      slug: pgy1-spring
      name: |
        PGY-1 residents,
        spring
      facilitators: [U0FAC1]
    """
    cohort = parse_cohort_file(textwrap.dedent(text), "cohort.yml")
    assert cohort.settings.name == "PGY-1 residents, spring"
