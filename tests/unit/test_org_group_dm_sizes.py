"""An org-wide tenant's circles meet in group DMs whatever the cohort chose: sizes are checked, and formed,
against what a group DM holds."""

from __future__ import annotations

import pytest

from circles.domain.cohort_file import CohortFileInvalid, parse_cohort_file
from circles.domain.cohort_rules import CohortSettings, circle_sizes, settings_problems
from circles.domain.cohort_rules.problems import GROUP_DM_MAX
from circles.domain.vocabulary import MeetingPlace

CHANNEL = MeetingPlace.PRIVATE_CHANNEL
TEN = CohortSettings(name="x", circle_min_size=9, circle_max_size=10, meeting_place=CHANNEL)

FILE = """\
cohort:
  slug: pgy1
  name: PGY-1
  facilitators: [U0FAC1]
  circle_size: {min: 9, max: 10}
  meet_in: private_channel
"""


def test_a_circle_larger_than_a_group_dm_is_refused_for_an_organisation_only() -> None:
    assert settings_problems(TEN) == {}
    problems = settings_problems(TEN, organisation=True)
    assert set(problems) == {"circle_max_size"}
    assert f"at most {GROUP_DM_MAX}" in problems["circle_max_size"]
    fits = CohortSettings(name="x", circle_min_size=4, circle_max_size=GROUP_DM_MAX, meeting_place=CHANNEL)
    assert settings_problems(fits, organisation=True) == {}


def test_a_cohort_file_for_an_organisation_names_the_line_of_the_size() -> None:
    assert parse_cohort_file(FILE, "c.yml").settings.circle_max_size == 10
    with pytest.raises(CohortFileInvalid) as raised:
        parse_cohort_file(FILE, "c.yml", organisation=True)
    assert [str(p) for p in raised.value.problems] == [
        "c.yml:5: circle_size.max: circles of an organisation-wide install meet in a group DM, which holds "
        f"at most {GROUP_DM_MAX} people: make the largest circle {GROUP_DM_MAX} or fewer (got 10)"
    ]


def test_planning_caps_circles_where_they_meet_in_a_group_dm_and_can_still_place_everyone() -> None:
    assert circle_sizes(TEN, MeetingPlace.GROUP_DM) == (4, GROUP_DM_MAX)  # 10 people: two circles of 5
    assert circle_sizes(TEN, CHANNEL) == (9, 10)
    small = CohortSettings(name="x", circle_min_size=3, circle_max_size=6, meeting_place=CHANNEL)
    assert circle_sizes(small, MeetingPlace.GROUP_DM) == (3, 6)  # within what a group DM holds: as set
