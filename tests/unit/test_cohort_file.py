"""Reading a cohort file: what it yields, and problems that each name the file, the line and the field."""

from __future__ import annotations

import re
import textwrap
from datetime import date, time
from pathlib import Path

import pytest

from circles.domain.cohort_file import CohortFile, CohortFileInvalid, parse_cohort_file, same_person_twice
from circles.domain.vocabulary import MeetingPlace, MemberStatus, PairingMode, Role

EXAMPLE = Path(__file__).parents[2] / "examples" / "cohort.yml"
PROBLEM_LINE = re.compile(r"^cohort\.yml:(\d+): ([a-z_.]+): .+$")

HEAD = """\
cohort:
  slug: pgy1-spring
  name: PGY-1 residents, spring
  facilitators: [U0FAC1]
"""


def parse(text: str, known_tracks: frozenset[str] | None = None) -> CohortFile:
    return parse_cohort_file(textwrap.dedent(text), "cohort.yml", known_tracks)


def problems(text: str, known_tracks: frozenset[str] | None = None) -> list[str]:
    with pytest.raises(CohortFileInvalid) as raised:
        parse(text, known_tracks)
    lines = [str(problem) for problem in raised.value.problems]
    assert all(PROBLEM_LINE.match(line) for line in lines), lines
    return lines


def test_the_example_file_reads_into_settings_facilitators_and_members() -> None:
    cohort = parse_cohort_file(EXAMPLE.read_text(), "examples/cohort.yml")
    assert cohort.slug == "pgy1-spring"
    settings = cohort.settings
    assert (settings.circle_min_size, settings.circle_max_size) == (4, 6)
    assert settings.pairing_mode is PairingMode.COACH_LEARNER
    assert settings.meeting_place is MeetingPlace.PRIVATE_CHANNEL
    assert (settings.prompt_weekday, settings.prompt_local_time) == (0, time(9, 0))
    assert (settings.starts_on, settings.ends_on) == (date(2027, 1, 11), date(2027, 6, 28))
    assert settings.thresholds.days_without_meeting == 21
    assert [(f.user_id, f.email) for f in cohort.facilitators] == [
        ("U04FACLEE", None),
        (None, "r.okafor@stmarys-health.org"),
    ]
    first, _, _, coach, _ = cohort.members
    assert (first.person.email, first.person.field, first.role) == (
        "a.nguyen@stmarys-health.org",
        "email",
        "learner",
    )
    assert first.profile["interests"] == "patient safety, medical education"
    assert [member.status for member in cohort.members] == [None, None, MemberStatus.PAUSED, None, None]
    assert (coach.role, coach.profile["capacity"]) == (Role.COACH, 3)


def test_settings_the_file_leaves_out_take_their_defaults() -> None:
    settings = parse(HEAD).settings
    assert (settings.circle_min_size, settings.pairing_mode, settings.timezone) == (
        4,
        PairingMode.NONE,
        "UTC",
    )


def test_an_unquoted_time_is_read_as_a_time_not_as_a_number_of_minutes() -> None:
    assert parse(HEAD + "  prompts: {time: 9:30}\n").settings.prompt_local_time == time(9, 30)


def test_unknown_keys_are_named_with_their_line_and_the_closest_key() -> None:
    found = problems(HEAD + "  circle_sizes: {min: 4}\n  health: {low_ratings: 2}\nmember: []\n")
    assert found == [
        "cohort.yml:5: circle_sizes: unknown key; did you mean `circle_size`?",
        "cohort.yml:6: health.low_ratings: unknown key; did you mean `low_rating`?",
        "cohort.yml:7: member: unknown key; did you mean `members`?",
    ]


def test_a_bad_slug_says_what_a_slug_may_be() -> None:
    [found] = problems(HEAD.replace("pgy1-spring", "PGY1 Spring"))
    assert found.startswith(
        "cohort.yml:2: slug: `PGY1 Spring` is not a valid cohort slug: use 2–40 characters"
    )


def test_out_of_range_sizes_weeks_and_thresholds_give_the_limits_and_the_value() -> None:
    found = problems(
        HEAD
        + "  circle_size: {min: 1, max: 20}\n  checkin_every_weeks: 13\n  health: {days_without_meeting: 2}\n"
    )
    assert found == [
        "cohort.yml:5: circle_size.min: a circle has between 2 and 12 people (got 1)",
        "cohort.yml:5: circle_size.max: a circle has between 2 and 12 people (got 20)",
        "cohort.yml:6: checkin_every_weeks: check in every 1 to 12 weeks (got 13)",
        "cohort.yml:7: health.days_without_meeting: use a whole number from 3 to 120 (got 2)",
    ]


def test_a_smallest_circle_larger_than_the_largest_is_refused() -> None:
    [found] = problems(HEAD + "  circle_size:\n    min: 7\n    max: 5\n")
    assert (
        found
        == "cohort.yml:7: circle_size.max: the largest circle cannot be smaller than the smallest (got 5)"
    )


def test_weekday_time_time_zone_and_dates_are_checked() -> None:
    found = problems(
        HEAD
        + "  prompts: {weekday: moonday, time: '25:00', track: nope}\n"
        + "  timezone: Mars/Olympus\n  starts_on: 2027-02-30\n  ends_on: soon\n",
        known_tracks=frozenset({"default"}),
    )
    assert found == [
        "cohort.yml:5: prompts.weekday: `moonday` is not one of: "
        "monday, tuesday, wednesday, thursday, friday, saturday, sunday",
        'cohort.yml:5: prompts.time: `25:00` is not a time; write it as "09:00" (HH:MM, 24-hour)',
        "cohort.yml:5: prompts.track: there is no prompt track called `nope`",
        "cohort.yml:6: timezone: `Mars/Olympus` is not a time zone; use a name like Europe/London",
        "cohort.yml:7: starts_on: `2027-02-30` is not a date; write it as YYYY-MM-DD",
        "cohort.yml:8: ends_on: `soon` is not a date; write it as YYYY-MM-DD",
    ]


def test_a_cohort_without_slug_name_or_facilitators_names_each() -> None:
    found = problems("cohort:\n  pairing: peer\n")
    assert [line.split(": ")[1] for line in found] == ["slug", "name", "facilitators"]


def test_a_member_listed_twice_is_named_on_the_second_line() -> None:
    found = problems(
        HEAD
        + "members:\n  - email: Ann@example.org\n  - user: U0BEN\n"
        + "  - email: ann@example.org\n  - user: U0BEN\n"
    )
    assert found == [
        "cohort.yml:8: email: listed twice (also on line 6)",
        "cohort.yml:9: user: listed twice (also on line 7)",
    ]


def test_a_role_the_pairing_mode_does_not_offer_is_refused_with_the_roles_it_does() -> None:
    found = problems(
        HEAD + "  pairing: mentor_learner\nmembers:\n  - user: U0ANN\n    role: coach\n  - user: U0BEN\n"
    )
    assert found == [
        "cohort.yml:8: role: `coach` is not a role when pairing is mentor_learner; use learner or mentor",
        "cohort.yml:9: role: missing: choose learner or mentor (pairing: mentor_learner)",
    ]


def test_members_of_a_cohort_without_pairing_are_peers_unless_the_file_says_otherwise() -> None:
    [member] = parse(HEAD + "members:\n  - user: U0ANN\n").members
    assert member.role is Role.PEER


def test_a_member_names_exactly_one_of_user_and_email_in_the_right_form() -> None:
    found = problems(
        HEAD
        + "members:\n  - user: U0ANN\n    email: ann@example.org\n  - user: ann@example.org\n"
        + "  - email: U0ANN\n  - role: peer\n"
    )
    assert found == [
        "cohort.yml:6: user: give either the member's Slack `user:` ID or their `email:`, not both",
        "cohort.yml:8: user: `ann@example.org` is not a Slack user ID (like U012AB3CD)",
        "cohort.yml:9: email: `U0ANN` is not an email address",
        "cohort.yml:10: user: missing: give the member's Slack `user:` ID or their `email:`",
    ]


def test_only_coaches_and_mentors_offer_partnerships_and_capacity_has_limits() -> None:
    found = problems(
        HEAD
        + "  pairing: coach_learner\nmembers:\n"
        + "  - {user: U0ANN, role: learner, offers: advice}\n  - {user: U0BEN, role: coach, capacity: 50}\n"
    )
    assert found == [
        "cohort.yml:7: offers: only coaches and mentors offer partnerships, not a learner",
        "cohort.yml:8: capacity: take 0 to 20 partners (got 50)",
    ]


def test_profile_lists_become_comma_separated_text_and_empty_fields_are_left_out() -> None:
    [member] = parse(
        HEAD + "members:\n  - user: U0ANN\n    interests: [teaching, ' patient safety ']\n"
        "    skills: listening,  feedback\n    department: ''\n    seniority:\n"
    ).members
    assert member.profile == {"interests": "teaching, patient safety", "skills": "listening, feedback"}


def test_profile_fields_keep_to_the_lengths_the_profile_form_allows() -> None:
    long_list = "[" + ", ".join(["patient safety"] * 40) + "]"
    found = problems(
        HEAD + f"members:\n  - user: U0ANN\n    department: {'x' * 121}\n    interests: {long_list}\n"
    )
    assert found == [
        "cohort.yml:7: department: keep it to 120 characters",
        "cohort.yml:8: interests: keep it to 500 characters in all",
    ]


def test_leaving_cannot_be_imported() -> None:
    [found] = problems(HEAD + "members:\n  - user: U0ANN\n    status: left\n")
    assert found == "cohort.yml:7: status: `left` is not one of: active, paused"


def test_malformed_yaml_names_the_line_where_it_goes_wrong() -> None:
    [found] = problems(HEAD + "  circle_size: {min: 4, max: 6\n  pairing: peer\n")
    assert found.startswith("cohort.yml:6: yaml: not valid YAML: ")


def test_a_tab_where_yaml_wants_spaces_is_named_on_its_line() -> None:
    [found] = problems(HEAD + "members:\n\t- user: U0ANN\n")
    assert found.startswith("cohort.yml:6: yaml: not valid YAML: ")
    assert found.endswith("(a tab: indent with spaces)")


def test_a_file_that_is_not_a_cohort_says_what_it_expected() -> None:
    missing = "cohort.yml:1: cohort: missing: a cohort file starts with `cohort:` and its settings"
    assert problems("") == [missing]
    assert problems("- just\n- a list\n") == [missing]
    assert problems(HEAD + "members: everyone\n") == [
        "cohort.yml:5: members: expected a list of members, each starting with `- `"
    ]


def test_one_person_named_by_id_and_by_email_is_found_once_they_are_looked_up() -> None:
    cohort = parse(
        HEAD + "members:\n  - user: U0ANN\n  - email: ann@example.org\n  - email: ben@example.org\n"
    )
    [found] = same_person_twice(
        cohort, {"U0ANN": "U0ANN", "ann@example.org": "U0ANN", "ben@example.org": "U0BEN"}
    )
    assert str(found) == "cohort.yml:7: email: U0ANN is already listed on line 6 (as U0ANN)"


def test_the_matching_look_back_window_is_read_and_checked() -> None:
    assert parse(HEAD + "  matching: {look_back_rounds: 3}\n").settings.match_look_back_rounds == 3
    assert parse(HEAD).settings.match_look_back_rounds == 0  # every earlier round
    [problem] = problems(HEAD + "  matching: {look_back_rounds: 99}\n")
    assert "matching.look_back_rounds" in problem


def test_the_cohorts_own_words_are_read_and_empty_means_the_default_wording() -> None:
    example = parse_cohort_file(EXAMPLE.read_text(), "examples/cohort.yml").settings
    assert example.free_text_hint == "Please don't include patient information."
    assert example.wellbeing_resources is not None
    assert example.wellbeing_resources.startswith("If you are struggling, the staff wellbeing service")
    assert "\n" not in example.wellbeing_resources  # `>-` folds the lines into one paragraph
    given = parse(HEAD + '  free_text_hint: "  No patient details here, please.  "\n').settings
    assert given.free_text_hint == "No patient details here, please."
    empty = parse(HEAD + '  free_text_hint: ""\n  wellbeing_resources:\n').settings
    assert (empty.free_text_hint, empty.wellbeing_resources) == (None, None)
    assert (parse(HEAD).settings.free_text_hint, parse(HEAD).settings.wellbeing_resources) == (None, None)


def test_words_too_long_to_show_are_refused_with_their_line_and_limit() -> None:
    hint, resources = "x" * 151, "y" * 1001
    lines = problems(HEAD + f"  free_text_hint: {hint}\n  wellbeing_resources: {resources}\n")
    assert lines == [
        "cohort.yml:5: free_text_hint: keep the hint to 150 characters: it shows under every text box",
        "cohort.yml:6: wellbeing_resources: keep the wellbeing resources to 1000 characters",
    ]
    assert problems(HEAD + "  free_text_hint: [a, b]\n") == [
        "cohort.yml:5: free_text_hint: expected some text"
    ]


def test_dates_far_from_today_or_past_what_a_schedule_can_reach_are_refused_with_their_line() -> None:
    text = HEAD + "  starts_on: 2026-01-12\n  ends_on: 9999-12-31\n"
    with pytest.raises(CohortFileInvalid) as far:
        parse_cohort_file(text, "cohort.yml", today=date(2026, 1, 5))
    assert [str(p) for p in far.value.problems] == [
        "cohort.yml:6: ends_on: choose a date from 2021-01-05 to 2031-01-05"
    ]
    with pytest.raises(CohortFileInvalid) as unreachable:
        parse(HEAD + "  starts_on: 1066-10-14\n")
    assert "starts_on" in str(unreachable.value.problems[0])
    near = parse_cohort_file(HEAD + "  starts_on: 2030-12-01\n", "cohort.yml", today=date(2026, 1, 5))
    assert near.settings.starts_on == date(2030, 12, 1)


def test_direction_overrides_in_the_file_never_reach_what_people_read() -> None:
    cohort = parse(HEAD.replace("PGY-1 residents, spring", "PGY-1 \u202eresidents\u202c"))
    assert cohort.settings.name == "PGY-1 residents"
