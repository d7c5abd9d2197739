"""A workspace whose bot token Slack refuses (revoked, the app removed, the workspace gone): its messages
wait, untried, with the workspace marked removed, and go once it is installed again."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

import pytest
from slack_sdk.oauth.installation_store import Installation
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore

from bot.dispatch import dispatch
from circles.domain.vocabulary import OutboxStatus
from circles.persistence.db import Database
from circles.services.intake.workspaces import find_workspace, record_installation
from standin import SlackStandIn
from tests.dispatching import NOW, UNPACED, deps_for, plain, posts, record, rows

ONE_WORKER = replace(UNPACED, workers=1)


@pytest.fixture
def standin() -> Iterator[SlackStandIn]:
    with SlackStandIn() as running:
        yield running


def removed_at(db: Database, team_id: str) -> datetime | None:
    with db.reading() as reading:
        workspace = find_workspace(reading.session, team_id)
        assert workspace is not None
        return workspace.uninstalled_at


def installed_again(db: Database, team_id: str, now: datetime) -> None:
    """What an install's OAuth callback records of the workspace."""
    record_installation(db.unit_of_work(), team_id, f"Team {team_id}", now)


@pytest.mark.parametrize("error", ["invalid_auth", "token_revoked", "account_inactive", "team_not_found"])
def test_a_token_slack_refuses_holds_the_workspaces_messages_until_it_is_installed_again(
    db: Database, standin: SlackStandIn, error: str
) -> None:
    standin.faults.error("chat.postMessage", error, times=None)
    keys = [f"prompt:{i}" for i in range(5)]
    record(db, [plain(key, f"U0P{i:03d}") for i, key in enumerate(keys)])
    deps = deps_for(db, standin)

    first = dispatch(deps, NOW, options=ONE_WORKER)
    later = dispatch(deps, NOW + timedelta(minutes=1), options=ONE_WORKER)

    assert len(standin.calls("chat.postMessage")) == 1  # one refusal says it for the whole workspace
    assert (first.failed, later.claimed) == (0, 0)
    assert removed_at(db, "T0001") is not None
    assert {(row.status, row.last_error) for row in rows(db).values()} == {(OutboxStatus.PENDING, None)}

    standin.clear_faults()
    installed_again(db, "T0001", NOW + timedelta(minutes=2))
    after = dispatch(deps, NOW + timedelta(minutes=2), options=ONE_WORKER)

    assert after.sent == 5
    assert posts(standin) == dict.fromkeys(keys, 1)


def test_a_revoked_installation_holds_only_its_own_workspace_and_a_reinstall_sends_what_waited(
    db: Database, standin: SlackStandIn
) -> None:
    store = SQLAlchemyInstallationStore(client_id="111.222", engine=db.engine)
    store.save(Installation(app_id="A0APP", team_id="T0001", bot_token="xoxb-first", user_id="U0I"))
    store.save(Installation(app_id="A0APP", team_id="T0002", bot_token="xoxb-old", user_id="U0I"))
    standin.add_team("T0002")
    standin.valid_tokens = set()
    standin.add_token("xoxb-first", team_id="T0001")  # xoxb-old was revoked at Slack
    record(db, [plain(f"first:{i}", f"U0F{i}") for i in range(3)], team_id="T0001")
    record(db, [plain(f"second:{i}", f"U0S{i}") for i in range(3)], team_id="T0002")
    deps = replace(deps_for(db, standin), installation_store=store)

    summary = dispatch(deps, NOW, options=ONE_WORKER)

    assert (summary.sent, summary.failed) == (3, 0)
    assert removed_at(db, "T0001") is None
    assert removed_at(db, "T0002") is not None
    assert {key: row.status for key, row in rows(db).items() if key.startswith("second:")} == dict.fromkeys(
        [f"second:{i}" for i in range(3)], OutboxStatus.PENDING
    )

    store.save(Installation(app_id="A0APP", team_id="T0002", bot_token="xoxb-new", user_id="U0I"))
    standin.add_token("xoxb-new", team_id="T0002")
    installed_again(db, "T0002", NOW + timedelta(minutes=5))
    again = dispatch(deps, NOW + timedelta(minutes=5), options=ONE_WORKER)

    assert again.sent == 3
    assert {row.status for row in rows(db).values()} == {OutboxStatus.SENT}


def test_a_person_slack_cannot_reach_fails_only_their_message(db: Database, standin: SlackStandIn) -> None:
    standin.refuse_dm("U0GONE", "user_disabled")
    record(db, [plain("to:gone", "U0GONE"), plain("to:here", "U0HERE")])

    summary = dispatch(deps_for(db, standin), NOW, options=ONE_WORKER)

    assert (summary.sent, summary.failed) == (1, 1)
    assert removed_at(db, "T0001") is None
    assert rows(db)["to:gone"].last_error == "user_disabled"


class InstalledAgainOnceLookedUp(SQLAlchemyInstallationStore):
    """A store whose first look-up of T0002 returns its old installation, and which is installed again with
    a new token just after: a pass that read the old token before a reinstall, refused after it."""

    def __init__(self, db: Database) -> None:
        super().__init__(client_id="111.222", engine=db.engine)
        self._db, self._looked_up = db, False

    def find_installation(self, **kwargs: Any) -> Installation | None:
        found = super().find_installation(**kwargs)
        if kwargs.get("team_id") == "T0002" and not self._looked_up:
            self._looked_up = True
            self.save(Installation(app_id="A0APP", team_id="T0002", bot_token="xoxb-new", user_id="U0I"))
            installed_again(self._db, "T0002", NOW)
        return found


def test_a_refusal_of_the_token_a_reinstall_replaced_leaves_the_workspace_installed_and_its_messages_go(
    db: Database, standin: SlackStandIn
) -> None:
    store = InstalledAgainOnceLookedUp(db)
    store.save(Installation(app_id="A0APP", team_id="T0002", bot_token="xoxb-old", user_id="U0I"))
    standin.add_team("T0002")
    standin.valid_tokens = set()
    standin.add_token("xoxb-new", team_id="T0002")  # xoxb-old was revoked at Slack
    record(db, [plain(f"second:{i}", f"U0S{i}") for i in range(3)], team_id="T0002")
    deps = replace(deps_for(db, standin), installation_store=store)

    first = dispatch(deps, NOW, options=ONE_WORKER)
    later = dispatch(deps, NOW + timedelta(minutes=1), options=ONE_WORKER)

    assert removed_at(db, "T0002") is None
    assert (first.failed, later.failed) == (0, 0)
    assert first.sent + later.sent == 3
    assert {row.status for row in rows(db).values()} == {OutboxStatus.SENT}
