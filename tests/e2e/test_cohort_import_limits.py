"""`circles cohort import` refuses what no real programme sends, in one line, before asking Slack anything:
a file over 5 MB (or a device that never ends), more than 10,000 members, YAML nested thousands deep or
carrying tags; and a file wrong throughout shows its first fifty problems, not all of them."""

from __future__ import annotations

from pathlib import Path

import pytest

from standin import SlackStandIn
from tests.e2e.test_cohort_import_cli import TOKEN, circles_import, write_file

TOO_LARGE = "larger than 5 MB: split its members over several files (members missing from a file are kept)"


@pytest.fixture
def slack(standin: SlackStandIn) -> dict[str, str]:
    """A workspace with the file's two facilitators, and the settings to reach it."""
    standin.add_user("U0FAC1", email="fac1@hospital.org")
    standin.add_user("U0LEE", email="lee@hospital.org")
    return {"SLACK_BOT_TOKEN": TOKEN, "SLACK_API_URL": standin.api_url}


def asked_slack(standin: SlackStandIn) -> int:
    return len(standin.calls("users.lookupByEmail")) + len(standin.calls("users.info"))


def test_a_file_over_5_mb_is_refused_before_it_is_read_as_yaml_or_anyone_is_looked_up(
    tmp_path: Path, standin: SlackStandIn, slack: dict[str, str]
) -> None:
    path = write_file(tmp_path, ["{email: lee@hospital.org, role: coach}"])
    padding = "# " + "x" * 98 + "\n"
    path.write_text(path.read_text() + padding * (5 * 1024 * 1024 // len(padding) + 1))
    result = circles_import(tmp_path, str(path), "--dry-run", **slack)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [f"circles: {path}: {TOO_LARGE}"]
    assert asked_slack(standin) == 0
    assert not (tmp_path / "circles.db").exists()


def test_a_device_that_never_ends_is_refused_like_a_large_file(tmp_path: Path) -> None:
    result = circles_import(tmp_path, "/dev/zero", "--team", "T0HOSP")
    assert result.returncode == 2
    assert result.stderr.splitlines() == [f"circles: /dev/zero: {TOO_LARGE}"]


def test_more_than_10000_members_are_refused_in_one_line_before_any_slack_call(
    tmp_path: Path, standin: SlackStandIn, slack: dict[str, str]
) -> None:
    path = write_file(tmp_path, [f"{{email: r{n}@hospital.org, role: learner}}" for n in range(10_001)])
    result = circles_import(tmp_path, str(path), **slack)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"circles: {path}:10007: yaml: more than 10,000 entries in one list; a file holds at most 10,000 "
        "members: split them over several files (members missing from a file are kept)"
    ]
    assert asked_slack(standin) == 0


def test_yaml_nested_thousands_deep_is_one_line_and_exit_2_not_a_traceback(tmp_path: Path) -> None:
    path = tmp_path / "cohort.yml"
    path.write_text("cohort: " + "[" * 5000 + "]" * 5000 + "\n")
    result = circles_import(tmp_path, str(path), "--team", "T0HOSP")
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"circles: {path}:1: yaml: not valid YAML: nested too deeply (over 20 levels)"
    ]


def test_a_python_object_tag_is_said_to_be_a_tag_that_is_not_allowed(tmp_path: Path) -> None:
    path = tmp_path / "cohort.yml"
    path.write_text("cohort:\n  slug: !!python/object:os.system x\n  name: x\n  facilitators: [U0FAC1]\n")
    result = circles_import(tmp_path, str(path), "--team", "T0HOSP")
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"circles: {path}:2: yaml: YAML tags (`!!python/object:os.system`) are not allowed: "
        "write plain values"
    ]


def test_a_file_wrong_throughout_shows_its_first_fifty_problems_and_how_many_more(
    tmp_path: Path, standin: SlackStandIn, slack: dict[str, str]
) -> None:
    path = write_file(tmp_path, [f"{{email: nobody{n}@hospital.org, role: learner}}" for n in range(60)])
    result = circles_import(tmp_path, str(path), **slack)
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 51
    assert lines[0] == f"circles: {path}:7: email: no active Slack user has the email nobody0@hospital.org"
    assert lines[49] == f"circles: {path}:56: email: no active Slack user has the email nobody49@hospital.org"
    assert lines[50] == "circles: … and 10 more problems"
