"""`circles cohort import` names only people of the workspace, a dry run too, and a Slack that fails while
people are looked up leaves nothing imported."""

from __future__ import annotations

from pathlib import Path

import pytest

from standin import SlackStandIn
from tests.databases import migrated_sqlite_url
from tests.e2e.test_cohort_import_cli import circles_import, counts, residents, slack, write_file

__all__ = ["slack"]  # the fixture, shared


def test_a_bot_or_deactivated_facilitator_names_its_line_in_a_dry_run_too_and_nothing_is_written(
    tmp_path: Path, standin: SlackStandIn, slack: dict[str, str]
) -> None:
    standin.add_user("U0ROBOT", is_bot=True)
    standin.add_user("U0GONE", deleted=True)
    path = write_file(tmp_path, [*residents(2), "{user: U0NOBODY, role: learner}"])
    path.write_text(path.read_text().replace("[U0FAC1, lee@hospital.org]", "[U0FAC1, U0ROBOT, U0GONE]"))
    for extra in (("--dry-run",), ()):
        result = circles_import(tmp_path, str(path), *extra, **slack)
        assert result.returncode == 2
        assert result.stderr.splitlines() == [
            f"circles: {path}:5: facilitators: U0ROBOT is a bot, not a person",
            f"circles: {path}:5: facilitators: U0GONE is a deactivated Slack account",
            f"circles: {path}:9: user: no Slack user U0NOBODY",
        ]
        assert counts(tmp_path)["members"] == 0


@pytest.mark.early  # seconds of Slack client back-off between retries
def test_slack_failing_while_people_are_looked_up_imports_nothing_and_says_so_in_one_line(
    tmp_path: Path, standin: SlackStandIn, slack: dict[str, str]
) -> None:
    path = write_file(tmp_path, residents(20))
    migrated_sqlite_url(tmp_path)  # its schema made once for the run: the import is under test, not migrating
    for status in (429, 500):
        standin.fail("users.lookupByEmail", status=status, retry_after=0, times=3)  # more than the retries
        result = circles_import(tmp_path, str(path), **slack)
        assert result.returncode == 2
        last = result.stderr.splitlines()[-1]  # after a line per retry
        assert last.startswith("circles: Slack answered "), result.stderr
        assert last.endswith("nothing was imported"), result.stderr
        assert "Traceback" not in result.stderr
        assert counts(tmp_path) == dict.fromkeys(counts(tmp_path), 0)
    standin.fail("users.lookupByEmail", status=429, retry_after=0, times=1)  # ridden out (at once: 0 s)
    result = circles_import(tmp_path, str(path), **slack)
    assert result.returncode == 0, result.stderr
    assert counts(tmp_path)["members"] == 20
