"""Several workspaces (OAuth): CIRCLES_ADMINS names each person for the workspace they run Circles in. A
support request nobody in its cohort may hear goes to that workspace's own admins, with its own token, or,
with none named there, the member is told nobody could be told; nobody named for one workspace is an admin
of another, even with the same user ID (the workspaces of one Enterprise Grid organisation share them)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.dispatch import DispatchOptions, dispatch
from bot.pacing import SlackLimits
from circles.domain.vocabulary import PairingMode, Role
from circles.persistence.models import Cohort, Workspace
from standin import Call, SlackStandIn
from tests import factories
from tests.databases import migrated_sqlite_url
from tests.e2e.harness import run_circles
from tests.e2e.test_oauth import NEW_TEAM, OAuthApp, install, served_oauth

TWO = "T0TWO"
ADMIN = "U0ADM"  # runs Circles in T0NEW
TWO_ADMIN = "U0TWOADM"  # runs Circles in T0TWO
WORDS = "MARKER-about-my-coach"
TO_RUNNERS = "the people who run Circles here"
TO_NOBODY = (
    "so nobody could be told and nothing was sent. Please contact whoever runs your programme directly"
)


@contextmanager
def two_workspaces(
    standin: SlackStandIn, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, admins: set[str]
) -> Iterator[OAuthApp]:
    """T0NEW and T0TWO installed; in T0TWO a cohort whose only facilitator is the learner's own coach."""
    with served_oauth(
        standin, migrated_sqlite_url(tmp_path), monkeypatch, circles_admins=frozenset(admins)
    ) as app:
        standin.add_user(ADMIN, team_id=NEW_TEAM)
        install(app)
        standin.add_team(TWO)
        for user in ("U0COACH", "U0LEARN", TWO_ADMIN):
            standin.add_user(user, team_id=TWO)
        standin.oauth_team_id = TWO
        install(app)
        with app.db.unit_of_work() as uow:
            ws = uow.session.scalars(select(Workspace).where(Workspace.team_id == TWO)).one()
            co = factories.cohort(uow.session, ws, "pgy1", "PGY-1")
            co.pairing_mode = PairingMode.COACH_LEARNER
            factories.facilitator(uow.session, co, "U0COACH")
            factories.member(uow.session, co, "U0COACH", Role.COACH)
            factories.member(uow.session, co, "U0LEARN", Role.LEARNER)
            factories.partnership(uow.session, "U0COACH", "U0LEARN")
            uow.commit()
        yield app


def say(app: OAuthApp, text: str, user: str, team: str) -> str:
    app.standin.clear()
    assert app.post(app.signer.slash_command(text, user_id=user, team_id=team)) == (200, b"")
    [answer] = app.standin.wait_for("response_url", timeout=10)
    return json.dumps(answer.args)


def sent_out(app: OAuthApp) -> list[Call]:
    """What one dispatch pass posts now."""
    app.standin.clear()
    dispatch(
        app.deps, datetime.now(UTC), options=DispatchOptions(limits=SlackLimits.none(), look_up_dnd=False)
    )
    return app.standin.calls("chat.postMessage")


def test_support_in_one_workspace_goes_to_its_own_admin_never_to_another_workspaces(
    standin: SlackStandIn, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    admins = {f"{NEW_TEAM}:{ADMIN}", f"{TWO}:{TWO_ADMIN}"}
    with two_workspaces(standin, tmp_path, monkeypatch, admins) as app:
        two_token = app.standin.last("oauth.v2.access").response["access_token"]
        told = say(app, f"support {WORDS}", "U0LEARN", TWO)
        assert TO_RUNNERS in told
        [post] = sent_out(app)
        assert (post.args["channel"], post.token, post.response["ok"]) == (TWO_ADMIN, two_token, True)
        assert WORDS in json.dumps(post.args)


def test_support_where_nobody_runs_circles_is_not_sent_to_another_workspaces_admin(
    standin: SlackStandIn, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with two_workspaces(standin, tmp_path, monkeypatch, {f"{NEW_TEAM}:{ADMIN}"}) as app:
        told = say(app, f"support {WORDS}", "U0LEARN", TWO)
        assert TO_NOBODY in told
        assert TO_RUNNERS not in told
        assert sent_out(app) == []  # before: to U0ADM with T0TWO's token, channel_not_found, then "rerouted"


def test_an_admin_of_one_workspace_is_no_admin_of_another(
    standin: SlackStandIn, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with two_workspaces(standin, tmp_path, monkeypatch, {f"{NEW_TEAM}:{ADMIN}"}) as app:
        standin.add_user(ADMIN, team_id=TWO)  # one person of an organisation's two workspaces
        assert "Only workspace admins" in say(app, "cohort create icu ICU nurses", ADMIN, TWO)
        assert cohorts_of(app, TWO) == ["pgy1"]
        board = say(app, "health pgy1", ADMIN, TWO)
        assert "Only the facilitators of `pgy1` can do that" in board
        assert "U0LEARN" not in board
        assert "Only workspace admins" not in say(app, "cohort create icu ICU nurses", ADMIN, NEW_TEAM)
        assert cohorts_of(app, NEW_TEAM) == ["icu"]  # where they do run Circles, they are an admin


def cohorts_of(app: OAuthApp, team: str) -> list[str]:
    with app.db.reading() as reading:
        query = select(Cohort.slug).join(Workspace, Workspace.id == Cohort.workspace_id)
        return list(reading.session.scalars(query.where(Workspace.team_id == team)))


@pytest.mark.parametrize("command", [("run",), ("tick",), ("report", "pgy1", "--out", "out")])
def test_with_several_workspaces_an_admin_named_for_none_stops_every_command_with_one_line(
    tmp_path: Path, command: tuple[str, ...]
) -> None:
    result = run_circles(
        *command,
        cwd=tmp_path,
        SLACK_CLIENT_ID="1.2",
        SLACK_CLIENT_SECRET="c",
        SLACK_SIGNING_SECRET="s",
        CIRCLES_ADMINS=f"{TWO}:{TWO_ADMIN},{ADMIN}",
    )
    assert result.returncode == 2
    [line] = result.stderr.strip().splitlines()
    assert line.startswith(f"circles: CIRCLES_ADMINS: '{ADMIN}' names no workspace")
    assert f"write each as T012AB3CD:{ADMIN}" in line
    assert not (tmp_path / "circles.db").exists()  # nothing is done before the settings are sound
