"""`circles cohort rotations <slug> FILE --replace` as a coordinator runs it with a corrected rota: a real
process, SQLite, the stand-in. The file is the whole rota of the cohort's members over its days: blocks
imported before within them and not in the file are taken away; partners told of a running one hear the
person is back."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from circles.persistence.models import Member, Profile
from standin import SlackStandIn
from tests.e2e.conftest import RunningApp
from tests.e2e.harness import stored
from tests.e2e.test_rotations_cli import circles, few, learner_with_email, told_of_learner
from tests.e2e.test_tick import tick

__all__ = ["few"]  # the fixture: a cohort of three residents imported by email

TODAY = date.today()


def day(days: int) -> str:
    """The date `days` from today, as a rota writes it."""
    return (TODAY + timedelta(days=days)).isoformat()


def write(folder: Path, name: str, *rows: str) -> Path:
    path = folder / name
    path.write_text("email,start,end,kind\n" + "".join(f"{row}\n" for row in rows))
    return path


def test_a_corrected_rota_with_replace_takes_away_the_blocks_it_no_longer_holds(
    tmp_path: Path, standin: SlackStandIn, few: dict[str, str]
) -> None:
    first = write(
        tmp_path,
        "rota.csv",
        f"resident0@hospital.org,{day(-3)},{day(10)},rotation",  # running
        f"resident1@hospital.org,{day(20)},{day(30)},leave",
        f"resident2@hospital.org,{day(40)},{day(50)},rotation",
    )
    assert circles(tmp_path, few, "rotations", "pgy1", str(first)).returncode == 0
    corrected = write(
        tmp_path,
        "rota-corrected.csv",
        f"resident1@hospital.org,{day(-10)},{day(-8)},leave",  # over already: stored as it was
        f"resident1@hospital.org,{day(20)},{day(30)},leave",
        f"resident2@hospital.org,{day(40)},{day(50)},leave",  # the kind corrected
        f"outsider@hospital.org,{day(1)},{day(2)},leave",  # another cohort's resident: not ours to check
    )
    before = stored(tmp_path, "SELECT slack_user_id, kind, starts_at, ends_at FROM away_blocks ORDER BY 1, 3")

    dry = circles(tmp_path, few, "rotations", "pgy1", str(corrected), "--dry-run", "--replace")
    assert dry.returncode == 1, dry.stderr
    assert dry.stderr.splitlines() == [
        f"circles: {corrected}:row 5: not a member: outsider@hospital.org (U0OUT) is not a member of pgy1"
    ]
    assert dry.stdout.splitlines() == [
        f"cohort pgy1 in workspace {standin.team_id}, dates in America/Chicago (dry run)",
        "blocks would be imported: 2 for 2 people (1 already stored, left as they were)",
        f"blocks would be taken away: 2 imported before from {day(-10)} to {day(50)} and not in the file",
        f"  resident0@hospital.org: rotation {day(-3)} to {day(10)}, running: would end now",
        f"  resident2@hospital.org: rotation {day(40)} to {day(50)}, not started: would be removed",
        "rows not imported: 1 (listed above): nothing of theirs was stored",
        "dry run: nothing was written; run it again without --dry-run to import",
    ]
    assert "U0R" not in dry.stdout  # people by email, never by Slack ID
    assert (
        stored(tmp_path, "SELECT slack_user_id, kind, starts_at, ends_at FROM away_blocks ORDER BY 1, 3")
        == before
    )

    result = circles(tmp_path, few, "rotations", "pgy1", str(corrected), "--replace")
    assert result.returncode == 1, result.stderr
    assert result.stdout.splitlines()[1:4] == [
        "blocks imported: 2 for 2 people (1 already stored, left as they were)",
        f"blocks taken away: 2 imported before from {day(-10)} to {day(50)} and not in the file",
        f"  resident0@hospital.org: rotation {day(-3)} to {day(10)}, running: ended now",
    ]
    blocks = stored(tmp_path, "SELECT slack_user_id, kind, ends_at FROM away_blocks ORDER BY 1, 3")
    assert [(user, kind) for user, kind, _ in blocks] == [
        ("U0R000", "rotation"),  # ended now: the days away so far stay
        ("U0R001", "leave"),
        ("U0R001", "leave"),
        ("U0R002", "leave"),
    ]
    assert datetime.fromisoformat(str(blocks[0][2])).replace(tzinfo=UTC) <= datetime.now(UTC)

    again = circles(tmp_path, few, "rotations", "pgy1", str(corrected), "--replace")
    assert "blocks imported: 0 for 2 people (3 already stored, left as they were)" in again.stdout
    assert (
        f"blocks taken away: 0 imported before from {day(-10)} to {day(50)} and not in the file"
        in again.stdout
    )


def test_with_replace_a_row_that_cannot_be_used_keeps_the_whole_file_out(
    tmp_path: Path, few: dict[str, str]
) -> None:
    first = write(tmp_path, "rota.csv", f"resident0@hospital.org,{day(20)},{day(30)},rotation")
    assert circles(tmp_path, few, "rotations", "pgy1", str(first)).returncode == 0
    mistyped = write(
        tmp_path,
        "rota-corrected.csv",
        f"resident0@hospitl.org,{day(20)},{day(30)},rotation",  # a typo: this block must not be taken away
        f"resident1@hospital.org,{day(10)},{day(40)},leave",
    )
    result = circles(tmp_path, few, "rotations", "pgy1", str(mistyped), "--replace")
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"circles: {mistyped}:row 2: unknown email: no one in Slack has the email resident0@hospitl.org",
        f"circles: {mistyped}: with --replace every row must be usable (a row in error could be a member's"
        " block, which would be taken away): nothing was written; correct the rows above and import again",
    ]
    assert stored(tmp_path, "SELECT slack_user_id FROM away_blocks") == [("U0R000",)]


def test_the_help_of_the_command_says_what_replace_does(tmp_path: Path, few: dict[str, str]) -> None:
    result = circles(tmp_path, few, "rotations", "--help")
    assert result.returncode == 0
    assert "--replace" in result.stdout
    assert "whole rota" in " ".join(result.stdout.split())


def test_the_coach_told_of_a_running_leave_taken_away_hears_once_that_the_learner_is_back(
    tmp_path: Path, serve_app: Callable[..., RunningApp]
) -> None:
    app, team_id, _ = learner_with_email(serve_app)
    with app.db.unit_of_work() as uow:
        coach = uow.session.scalars(select(Profile).where(Profile.slack_user_id == "U0COACH")).one()
        coach.email = "coach@hospital.org"
        # The ticks below run at the real time, and on a weekday in the coach's digest hours their digest,
        # which names the learner too (no meeting reported), would be counted with the notices: muted,
        # as its own button does.
        member = uow.session.scalars(select(Member).where(Member.slack_user_id == "U0COACH")).one()
        member.nudges_muted_until = datetime.now(UTC) + timedelta(days=30)
        uow.commit()
    settings = {"DATABASE_URL": app.settings.database_url}
    leave = write(tmp_path, "rota.csv", f"learner@hospital.org,{day(-3)},{day(10)},leave")
    assert circles(tmp_path, settings, "rotations", "pgy1", str(leave), "--team", team_id).returncode == 0
    tick(app, datetime.now(UTC).isoformat())
    [away] = told_of_learner(app)
    assert "is away until" in away

    corrected = write(tmp_path, "rota-corrected.csv", f"coach@hospital.org,{day(-3)},{day(-2)},leave")
    replaced = circles(
        tmp_path, settings, "rotations", "pgy1", str(corrected), "--team", team_id, "--replace"
    )
    assert replaced.returncode == 0, replaced.stderr
    for minutes in (1, 2):
        tick(app, (datetime.now(UTC) + timedelta(minutes=minutes)).isoformat())
    away_then_back = told_of_learner(app)
    assert len(away_then_back) == 2
    assert "is back" in away_then_back[1]
