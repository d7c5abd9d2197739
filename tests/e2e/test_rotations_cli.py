"""`circles cohort rotations <slug> FILE` as a facilitator runs it: a real process, SQLite, the stand-in."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from circles.persistence.models import Cohort, Workspace
from standin import SlackStandIn
from tests import factories
from tests.databases import migrated_sqlite_url
from tests.e2e import processes
from tests.e2e.conftest import RunningApp, coaching_pair
from tests.e2e.harness import CIRCLES, environment, stored
from tests.e2e.test_tick import tick

TOKEN = "xoxb-rotations-token"
PEOPLE = 300
# The rotas fall next year by the test's clock: the import takes dates within a few years of today.
Y = date.today().year + 1
# `circles …` itself (bot.cli.main), printing on stderr how many SQL statements it sent in all.
COUNTED_CIRCLES = processes.COUNTED_CIRCLES


def circles(
    folder: Path, settings: dict[str, str], *args: str, counted: bool = False
) -> subprocess.CompletedProcess[str]:
    return processes.run(
        [*(COUNTED_CIRCLES if counted else CIRCLES), "cohort", *args],
        cwd=folder,
        env=environment(**settings),
        capture_output=True,
        text=True,
        timeout=120,
    )


def cohort_of(people: int, standin: SlackStandIn, tmp_path: Path) -> dict[str, str]:
    """A cohort in Chicago of `people` residents imported by email, and the settings to reach Slack."""
    standin.add_user("U0FAC1", email="fac1@hospital.org")
    standin.add_user("U0OUT", email="outsider@hospital.org")
    for n in range(people):
        standin.add_user(f"U0R{n:03d}", email=f"resident{n}@hospital.org", tz="America/Chicago")
    members = "".join(f"  - {{email: resident{n}@hospital.org, role: peer}}\n" for n in range(people))
    (tmp_path / "cohort.yml").write_text(
        "cohort:\n  slug: pgy1\n  name: PGY-1 residents\n  pairing: peer\n  timezone: America/Chicago\n"
        f"  facilitators: [U0FAC1]\nmembers:\n{members}"
    )
    settings = {"SLACK_BOT_TOKEN": TOKEN, "SLACK_API_URL": standin.api_url}
    migrated_sqlite_url(tmp_path)  # its schema made once for the run: the import is under test, not migrating
    created = circles(tmp_path, settings, "import", "cohort.yml")
    assert created.returncode == 0, created.stderr
    standin.clear()
    return settings


@pytest.fixture
def slack(standin: SlackStandIn, tmp_path: Path) -> dict[str, str]:
    return cohort_of(PEOPLE, standin, tmp_path)


@pytest.fixture
def few(standin: SlackStandIn, tmp_path: Path) -> dict[str, str]:
    return cohort_of(3, standin, tmp_path)


def rota(folder: Path) -> Path:
    """A rota of all three hundred, with seven rows it cannot use among them."""
    rows = [f"resident{n}@hospital.org,{Y}-01-04,{Y}-01-31,rotation" for n in range(PEOPLE)]
    rows[293] = f"resident293@hospital.org,{Y}-02-30,{Y}-03-10,rotation"
    rows[294] = f"resident294@hospital.org,{Y}-01-31,{Y}-01-04,leave"
    rows[295] = f"resident295@hospital.org,{Y}-01-04,{Y}-01-31,holiday"
    rows[296] = f"resident296@hospital.org,{Y}-01-04,{Y + 1}-06-30,leave"
    rows += [
        f"resident297@hospital.org,{Y}-01-04,{Y}-02-14,rotation",
        f"nobody@hospital.org,{Y}-01-04,{Y}-01-31,rotation",
        f"outsider@hospital.org,{Y}-01-04,{Y}-01-31,leave",
    ]
    path = folder / "rota.csv"
    path.write_text("email,start,end,kind\n" + "\n".join(rows) + "\n")
    return path


@pytest.mark.early
def test_a_rota_of_three_hundred_imports_the_good_rows_and_names_each_bad_one(
    tmp_path: Path, standin: SlackStandIn, slack: dict[str, str]
) -> None:
    path = rota(tmp_path)
    dry = circles(tmp_path, slack, "rotations", "pgy1", str(path), "--dry-run")
    assert dry.returncode == 1, dry.stderr
    assert "blocks would be imported: 296 for 296 people" in dry.stdout
    assert stored(tmp_path, "SELECT count(*) FROM away_blocks") == [(0,)]
    standin.clear()

    result = circles(tmp_path, slack, "rotations", "pgy1", str(path), counted=True)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    *problems, count = result.stderr.splitlines()
    assert problems == [
        f"circles: {path}:row 295: bad date: start '{Y}-02-30' is not a date (YYYY-MM-DD)",
        f"circles: {path}:row 296: end {Y}-01-04 is before start {Y}-01-31",
        f"circles: {path}:row 297: unknown kind 'holiday': use rotation, leave, away",
        f"circles: {path}:row 298: over a year long ({Y}-01-04 to {Y + 1}-06-30): "
        "give it as blocks of a year at most",
        f"circles: {path}:row 302: duplicate of row 299: the same person, start and kind",
        f"circles: {path}:row 303: unknown email: no one in Slack has the email nobody@hospital.org",
        f"circles: {path}:row 304: not a member: outsider@hospital.org (U0OUT) is not a member of pgy1",
    ]
    assert result.stdout.splitlines() == [
        f"cohort pgy1 in workspace {standin.team_id}, dates in America/Chicago",
        "blocks imported: 296 for 296 people",
        "rows not imported: 7 (listed above): nothing of theirs was stored",
    ]
    # Members are found by the emails their profiles hold; Slack is asked only about the others.
    assert sorted(call.args["email"] for call in standin.calls("users.lookupByEmail")) == [
        "nobody@hospital.org",
        "outsider@hospital.org",
    ]
    sent = int(count.removeprefix("statements sent: "))
    assert sent < 30, count  # 296 rows, written a thousand to a statement, not one each

    blocks = stored(tmp_path, "SELECT slack_user_id, kind, ends_at FROM away_blocks ORDER BY slack_user_id")
    people = [user for user, _, _ in blocks]
    assert len(blocks) == 296
    assert not {"U0R293", "U0R294", "U0R295", "U0R296", "U0OUT"} & set(people)
    assert blocks[297 - 4][0] == "U0R297"
    assert str(blocks[297 - 4][2]).startswith(f"{Y}-02-01 06:00")  # the first row of two for the same start

    again = circles(tmp_path, slack, "rotations", "pgy1", str(path))
    assert again.returncode == 1
    assert "blocks imported: 0 for 296 people (296 already stored, left as they were)" in again.stdout
    assert stored(tmp_path, "SELECT count(*) FROM away_blocks") == [(296,)]


def test_a_calendar_file_is_imported_by_its_attendees(tmp_path: Path, few: dict[str, str]) -> None:
    path = tmp_path / "rota.ics"
    path.write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Rota//EN\r\n"
        f"BEGIN:VEVENT\r\nUID:1@rota\r\nDTSTAMP:20261201T000000Z\r\nDTSTART;VALUE=DATE:{Y}0104\r\n"
        f"DTEND;VALUE=DATE:{Y}0118\r\nSUMMARY:Annual leave\r\nATTENDEE:mailto:resident1@hospital.org\r\n"
        "ATTENDEE:mailto:resident2@hospital.org\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    result = circles(tmp_path, few, "rotations", "pgy1", str(path))
    assert result.returncode == 0, result.stderr
    assert "blocks imported: 2 for 2 people" in result.stdout
    assert stored(tmp_path, "SELECT slack_user_id, kind FROM away_blocks ORDER BY 1") == [
        ("U0R001", "leave"),
        ("U0R002", "leave"),
    ]


def test_without_a_token_the_team_is_named_and_only_profile_emails_are_known(
    tmp_path: Path, standin: SlackStandIn, few: dict[str, str]
) -> None:
    path = tmp_path / "rota.csv"
    path.write_text(
        f"email,start,end\nresident0@hospital.org,{Y}-01-04,{Y}-01-10\noutsider@hospital.org,{Y}-01-04,{Y}-01-10\n"
    )
    result = circles(tmp_path, {}, "rotations", "pgy1", str(path), "--team", standin.team_id)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"circles: {path}:row 3: outsider@hospital.org is not the email of a member of pgy1 "
        "(Slack was not asked)"
    ]
    assert "blocks imported: 1 for 1 people" in result.stdout
    assert standin.calls("users.lookupByEmail") == []


def test_an_unknown_cohort_or_a_file_too_large_is_refused_whole(tmp_path: Path, few: dict[str, str]) -> None:
    small = tmp_path / "rota.csv"
    small.write_text(f"email,start,end\nresident1@hospital.org,{Y}-01-04,{Y}-01-05\n")
    unknown = circles(tmp_path, few, "rotations", "pgy", str(small))
    assert unknown.returncode == 2
    assert unknown.stderr.startswith("circles: no cohort pgy in workspace ")
    large = tmp_path / "large.csv"
    large.write_bytes(b"email,start,end\n" + b"\n" * (5 * 1024 * 1024))
    refused = circles(tmp_path, few, "rotations", "pgy1", str(large))
    assert refused.returncode == 2
    assert refused.stderr.splitlines() == [f"circles: {large}: larger than 5 MB: split the file"]
    assert stored(tmp_path, "SELECT count(*) FROM away_blocks") == [(0,)]


def test_the_coach_hears_of_an_imported_rotation_when_it_starts_not_when_it_is_imported(
    tmp_path: Path, serve_app: Callable[..., RunningApp]
) -> None:
    app, team_id, zone = learner_with_email(serve_app)
    path = tmp_path / "rota.csv"
    path.write_text(f"email,start,end,kind\nlearner@hospital.org,{Y}-03-01,{Y}-03-28,leave\n")
    settings = {"DATABASE_URL": app.settings.database_url}
    result = circles(tmp_path, settings, "rotations", "pgy1", str(path), "--team", team_id)
    assert result.returncode == 0, result.stderr

    starts = datetime.combine(date(Y, 3, 1), time(0), tzinfo=ZoneInfo(zone))
    tick(app, (starts - timedelta(hours=1)).isoformat())
    assert told_of_learner(app) == []
    tick(app, starts.isoformat())
    [notice] = told_of_learner(app)
    assert "is away until" in notice
    assert "leave" not in notice  # when, never why
    tick(app, (starts + timedelta(hours=1)).isoformat())
    assert len(told_of_learner(app)) == 1


def told_of_learner(app: RunningApp) -> list[str]:
    """What the coach was sent that names the learner."""
    calls = app.standin.calls("chat.postMessage")
    return [str(c.args) for c in calls if c.args["channel"] == "U0COACH" and "U0LEARN" in str(c.args)]


def learner_with_email(serve_app: Callable[..., RunningApp]) -> tuple[RunningApp, str, str]:
    """A reachable coach and their learner, whose profile holds the email a rota names; the workspace's
    team and the cohort's time zone."""
    app = serve_app()
    coaching_pair(app, reachable_coach=True)
    with app.db.unit_of_work() as uow:
        workspace = uow.session.scalars(select(Workspace)).one()
        factories.profile(uow.session, workspace, "U0LEARN").email = "learner@hospital.org"
        team_id, zone = workspace.team_id, uow.session.scalars(select(Cohort.timezone)).one()
        uow.commit()
    return app, team_id, zone
