"""What a cohort file may hold: how deep, how many people, and no YAML tags; each refusal is one line."""

from __future__ import annotations

import pytest

from circles.domain.cohort_file import (
    MAX_FACILITATORS,
    MAX_MEMBERS,
    CohortFileInvalid,
    parse_cohort_file,
)

HEAD = "cohort: {slug: pgy1-spring, name: PGY-1 residents, facilitators: [U0FAC1], pairing: peer}\n"


def problems(text: str) -> list[str]:
    with pytest.raises(CohortFileInvalid) as raised:
        parse_cohort_file(text, "cohort.yml")
    return [str(problem) for problem in raised.value.problems]


def test_a_list_nested_thousands_deep_is_refused_in_one_line_instead_of_crashing() -> None:
    assert problems("cohort: " + "[" * 5000 + "]" * 5000 + "\n") == [
        "cohort.yml:1: yaml: not valid YAML: nested too deeply (over 20 levels)"
    ]


def test_nesting_too_deep_inside_a_member_names_its_line() -> None:
    text = HEAD + "members:\n  - user: U0ANN\n    interests: " + "[" * 3000 + "x" + "]" * 3000 + "\n"
    assert problems(text) == ["cohort.yml:4: yaml: not valid YAML: nested too deeply (over 20 levels)"]


def test_a_python_tag_is_refused_as_a_tag_not_as_a_bad_slug() -> None:
    text = (
        'cohort:\n  slug: !!python/object/apply:os.system ["touch /tmp/pwned"]\n'
        "  name: x\n  facilitators: [U0FAC1]\n"
    )
    assert problems(text) == [
        "cohort.yml:2: yaml: YAML tags (`!!python/object/apply:os.system`) are not allowed: "
        "write plain values"
    ]


def test_a_local_tag_on_a_member_is_refused_too() -> None:
    assert problems(HEAD + "members:\n  - user: !secret U0ANN\n") == [
        "cohort.yml:3: yaml: YAML tags (`!secret`) are not allowed: write plain values"
    ]


def test_more_members_than_a_file_holds_are_refused_at_the_first_one_too_many() -> None:
    members = "".join(f"  - {{user: U0M{n:05d}}}\n" for n in range(MAX_MEMBERS + 5))
    assert problems(HEAD + "members:\n" + members) == [
        f"cohort.yml:{MAX_MEMBERS + 3}: yaml: more than 10,000 entries in one list; a file holds at most "
        "10,000 members: split them over several files (members missing from a file are kept)"
    ]


def test_more_facilitators_than_a_cohort_has_are_refused_before_anyone_is_named() -> None:
    many = ", ".join(f"U0F{n:04d}" for n in range(MAX_FACILITATORS + 1))
    assert problems(f"cohort: {{slug: pgy1-spring, name: PGY-1, facilitators: [{many}]}}\n") == [
        "cohort.yml:1: facilitators: 101 listed; a cohort has at most 100"
    ]


def test_as_many_facilitators_as_a_cohort_may_have_are_read() -> None:
    many = ", ".join(f"U0F{n:04d}" for n in range(MAX_FACILITATORS))
    parsed = parse_cohort_file(
        f"cohort: {{slug: pgy1-spring, name: PGY-1, facilitators: [{many}]}}\n", "c.yml"
    )
    assert len(parsed.facilitators) == MAX_FACILITATORS


def test_a_yaml_alias_is_refused_in_one_line_before_it_repeats_anything() -> None:
    # 27 KB: a 10,000-phrase list anchored once and repeated by a thousand aliases took 22 s to refuse.
    phrases = "[" + ",".join(["x"] * MAX_MEMBERS) + "]"
    text = (
        HEAD + f"members:\n  - &m {{user: U0AAA, role: peer, interests: &w {phrases}}}\n" + "  - *m\n" * 999
    )
    assert problems(text) == [
        "cohort.yml:4: yaml: YAML aliases (*name) are not allowed: write each value out"
    ]


def test_an_alias_of_a_single_value_is_refused_too() -> None:
    text = HEAD + "members:\n  - {user: U0ANN, interests: &i chess}\n  - {user: U0BOB, interests: *i}\n"
    assert problems(text) == [
        "cohort.yml:4: yaml: YAML aliases (*name) are not allowed: write each value out"
    ]


def test_an_anchor_nothing_refers_to_is_read_as_its_value() -> None:
    parsed = parse_cohort_file(HEAD + "members:\n  - &ann {user: U0ANN, interests: chess}\n", "c.yml")
    assert [member.profile.get("interests") for member in parsed.members] == ["chess"]


def test_phrases_past_their_limit_are_refused_without_reading_the_rest_of_the_list() -> None:
    # The 126th "xx" takes the text past 500 characters; what follows is never looked at.
    phrases = ", ".join(["xx"] * 126 + ["{not: a phrase}"] * 5000)
    assert problems(HEAD + f"members:\n  - {{user: U0ANN, interests: [{phrases}]}}\n") == [
        "cohort.yml:3: interests: keep it to 500 characters in all"
    ]
