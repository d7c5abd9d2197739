"""What reading a cohort file may cost: a budget of values in all, of keys in one place, and of problems
said one by one; each refusal is one line, at the first value past it."""

from __future__ import annotations

import pytest
import yaml
from yaml.nodes import MappingNode, Node, SequenceNode

from bot.cli_import import shown_problems
from circles.domain.cohort_file import LISTED_PROBLEMS, MAX_MEMBERS, CohortFileInvalid, parse_cohort_file
from circles.domain.cohort_file import loader as cohort_loader
from circles.domain.cohort_file.schema import MAX_VALUES

HEAD = "cohort: {slug: pgy1-spring, name: PGY-1 residents, facilitators: [U0FAC1], pairing: coach_learner}\n"
# A member giving every field a member may have, and a dozen phrases in each list.
INTERESTS = ", ".join(f"interest {n}" for n in range(12))
SKILLS = ", ".join(f"skill {n}" for n in range(12))
FULLEST = (
    "  - {user: U0M00000, role: coach, status: active, department: Internal Medicine, seniority: PGY-3,"
    " availability: evenings, aspirations: to teach, offers: career talks, capacity: 3,"
    f" interests: [{INTERESTS}], skills: [{SKILLS}]}}\n"
)


def refused(text: str) -> CohortFileInvalid:
    with pytest.raises(CohortFileInvalid) as raised:
        parse_cohort_file(text, "cohort.yml")
    return raised.value


def test_as_many_of_the_fullest_members_as_a_file_holds_fit_in_its_budget_of_values() -> None:
    head, members = (yaml.compose(text, Loader=yaml.SafeLoader) for text in (HEAD + "members:\n", FULLEST))
    assert head is not None
    assert isinstance(members, SequenceNode)
    assert _nodes(head) + MAX_MEMBERS * _nodes(members.value[0]) <= MAX_VALUES


def test_a_file_of_more_values_than_its_budget_is_refused_at_the_first_one_past_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The budget made small: a file under the size limit of ten thousand members with 240 one-letter
    # phrases each took 14 s and 800 MB before it was refused, for its phrases.
    monkeypatch.setattr(cohort_loader, "MAX_VALUES", 1000)
    phrases = ",".join("x" * 240)
    members = "".join(f"  - {{user: U0M{n:05d}, interests: [{phrases}]}}\n" for n in range(10))
    # 15 values before the first member, 245 in each: the fifth member's (line 7) pass the thousandth.
    assert [str(problem) for problem in refused(HEAD + "members:\n" + members).problems] == [
        "cohort.yml:7: yaml: more than 1,000 values (keys, settings, phrases) in one file, room for 0 for "
        "each of 10,000 members: shorten their lists, or split them over several files (members missing "
        "from a file are kept)"
    ]


def test_a_block_of_more_keys_than_any_takes_is_refused_at_the_first_one_too_many() -> None:
    # 400,000 unknown keys under `cohort:` made as many problems, each with a hint: 18 s and 790 MB.
    keys = "".join(f"  k{n:05d}: x\n" for n in range(5000))
    assert [str(problem) for problem in refused("cohort:\n" + keys).problems] == [
        "cohort.yml:102: yaml: more than 100 keys in one place; `cohort:` takes 17 and a member 12: "
        "remove the unknown ones"
    ]


def test_a_file_wrong_throughout_keeps_its_first_problems_and_counts_the_rest() -> None:
    members = "".join(f"  - {{user: U0M{n:05d}, role: boss}}\n" for n in range(200))
    error = refused(HEAD + "members:\n" + members)
    assert (len(error.problems), error.unlisted) == (LISTED_PROBLEMS, 200 - LISTED_PROBLEMS)
    assert str(error.problems[-1]).startswith(f"cohort.yml:{LISTED_PROBLEMS + 2}: role: `boss` is not one")
    assert shown_problems(error.problems, error.unlisted)[-1] == "… and 150 more problems"


def _nodes(node: Node) -> int:
    if isinstance(node, MappingNode):
        return 1 + sum(_nodes(key) + _nodes(value) for key, value in node.value)
    if isinstance(node, SequenceNode):
        return 1 + sum(_nodes(item) for item in node.value)
    return 1
