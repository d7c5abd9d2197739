"""Combinations of columns: values common one by one never single out fewer than 5 people together."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from datetime import timedelta

from circles.domain.research.anonymity import k_anonymous
from circles.domain.research.columns import SUPPRESSED, Table
from circles.domain.research.consent import ConsentRecord, Decision
from circles.domain.vocabulary import Role, SurveyPhase
from circles.queries.research import SurveyAnswerRow
from circles.services.research import consented as c
from circles.services.research.survey_table import survey_table
from tests.unit.research.test_anonymity import COHORT, NOW, START, column, member, tables


def people_sharing(table: Table, extra: Mapping[object, tuple[object, ...]] | None = None) -> list[int]:
    """How many people (or pairs) share each combination of quasi-identifying values a row shows,
    with `extra` values known of each row's unit from another table (its role, say)."""
    quasi = [i for i, col in enumerate(table.columns) if col.quasi]
    holders: dict[tuple[object, ...], set[object]] = defaultdict(set)
    for row in table.rows:
        known = (extra or {}).get(row[0], ())
        holders[(*known, *(row[i] for i in quasi))].add(row[0])
    return sorted(len(units) for units in holders.values())


def test_the_one_mentor_who_joined_late_with_four_learners_is_not_singled_out() -> None:
    """Five mentors and five who joined in week 3: the mentor among those five is still one person."""
    mentors = [member(1, Role.MENTOR, joined_week=3), *(member(n, Role.MENTOR) for n in range(2, 6))]
    learners = [member(n, Role.LEARNER, joined_week=3 if n < 10 else 1) for n in range(6, 21)]
    (people, *_), who = tables([*mentors, *learners], [])
    [shown] = k_anonymous([people])
    assert min(people_sharing(shown)) >= 5
    roles, joined = column(shown, "role"), column(shown, "joined_week")
    late_mentor = who.people[1]
    assert SUPPRESSED in (roles[late_mentor], joined[late_mentor])
    # What is common together stays: the learners who joined in week 1 keep both values.
    assert {(roles[who.people[n]], joined[who.people[n]]) for n in range(10, 21)} == {("learner", "2027-W01")}


def test_a_survey_row_does_not_single_out_a_person_through_their_role_in_the_people_table() -> None:
    """Five mentors, and five people answered the survey half-way in week 5: one mentor among them."""
    mentors = [member(n, Role.MENTOR) for n in range(1, 6)]
    learners = [member(n, Role.LEARNER) for n in range(6, 21)]
    members = [*mentors, *learners]
    consents = {m.user_id: [ConsentRecord(Decision.GIVEN, START, "1")] for m in members}
    who = c.included(COHORT, members, consents, NOW)
    late = {1, 6, 7, 8, 9}
    answers = [
        SurveyAnswerRow(
            100 + m.member_id,
            m.member_id,
            "belonging",
            1,
            SurveyPhase.MIDPOINT,
            START + timedelta(weeks=4 if m.member_id in late else 3),
            "fit_in",
            4,
            None,
        )
        for m in members
    ]
    (people, *_), _ = tables(members, [])
    people_shown, survey = k_anonymous([people, survey_table(COHORT, answers, who, None)])
    roles = {person: (role,) for person, role in column(people_shown, "role").items()}
    assert min(people_sharing(survey, roles)) >= 5
    # The answers themselves always stay.
    assert len(survey.rows) == 20
    assert {row[survey.header.index("belonging_fit_in")] for row in survey.rows} == {4}


def test_a_cohort_whose_combinations_are_all_common_keeps_every_value() -> None:
    weeks = [1] * 5 + [2] * 5  # five of each role joined in week 1, five in week 2
    members = [member(n, Role.MENTOR if n <= 10 else Role.LEARNER, weeks[(n - 1) % 10]) for n in range(1, 21)]
    (people, *_), _ = tables(members, [])
    [shown] = k_anonymous([people])
    assert shown == people
