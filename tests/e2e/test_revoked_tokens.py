"""A revoked bot token is never used again, and what the tenant was due to hear waits for the app to be
installed again, instead of failing one message at a time; a start with a working token resumes it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime

from sqlalchemy import select

from bot.deps import Deps, build_deps
from bot.dispatch import DispatchOptions, dispatch
from bot.pacing import Pacer, SlackLimits
from circles.domain.vocabulary import OutboxStatus
from circles.messages import PlainNotice
from circles.persistence.db import Database
from circles.persistence.models import OutboxMessage, Workspace
from circles.services.outbox.enqueue import Outgoing, enqueue
from standin.defaults import DEFAULT_TEAM_ID
from tests import factories
from tests.e2e.conftest import RunningApp
from tests.e2e.test_oauth import NEW_TEAM, OAuthApp, install, oauth_app, poll  # noqa: F401 - a fixture

REVOKED = {"type": "tokens_revoked", "tokens": {"oauth": [], "bot": ["U0NEWBOT"]}}  # the installed bot
PERSON = "U0ANN"


def waiting_notice(db: Database, team: str) -> None:
    """A notice for someone of the tenant, due now, in its outbox (the tenant is recorded if need be)."""
    with db.unit_of_work() as uow:
        tenant = uow.session.scalars(select(Workspace).where(Workspace.team_id == team)).first()
        tenant = tenant or factories.workspace(uow.session, team)
        enqueue(uow.session, tenant.id, Outgoing("notice:1", PERSON, PlainNotice("Hello")), now(), now())
        uow.commit()


def now() -> datetime:
    return datetime.now(UTC)


def send(deps: Deps) -> None:
    dispatch(deps, now(), options=DispatchOptions(limits=SlackLimits.none(), look_up_dnd=False))


def statuses(db: Database) -> list[OutboxStatus]:
    with db.reading() as reading:
        return list(reading.session.scalars(select(OutboxMessage.status)))


def removed(db: Database, team: str) -> bool:
    with db.reading() as reading:
        tenant = reading.session.scalars(select(Workspace).where(Workspace.team_id == team)).one()
        return tenant.uninstalled_at is not None


def test_after_a_revoked_token_the_workspace_messages_wait_and_go_once_it_is_installed_again(
    oauth_app: OAuthApp,  # noqa: F811 - the fixture imported above
) -> None:
    install(oauth_app)
    waiting_notice(oauth_app.db, NEW_TEAM)
    assert oauth_app.post(oauth_app.signer.event(REVOKED, team_id=NEW_TEAM)) == (200, b"")
    poll(lambda: not oauth_app.rows("slack_installations") and removed(oauth_app.db, NEW_TEAM))
    oauth_app.standin.clear()
    send(oauth_app.deps)
    assert statuses(oauth_app.db) == [OutboxStatus.PENDING]  # not failed: it waits
    assert oauth_app.standin.calls() == []
    install(oauth_app)
    assert not removed(oauth_app.db, NEW_TEAM)
    send(oauth_app.deps)
    assert statuses(oauth_app.db) == [OutboxStatus.SENT]


def test_a_start_with_a_working_bot_token_resumes_a_workspace_that_had_removed_the_app(
    serve_app: Callable[..., RunningApp],
) -> None:
    app = serve_app()
    waiting_notice(app.db, DEFAULT_TEAM_ID)
    assert app.post(app.signer.event({"type": "app_uninstalled"})) == (200, b"")
    poll(lambda: removed(app.db, DEFAULT_TEAM_ID))
    deps = replace(build_deps(app.settings, app.db), pacer=Pacer.unpaced())
    send(deps)
    assert statuses(app.db) == [OutboxStatus.PENDING]
    again = serve_app(database_url=app.settings.database_url, migrate=False)  # reinstalled, started again
    assert not removed(again.db, DEFAULT_TEAM_ID)
    send(deps)
    assert statuses(app.db) == [OutboxStatus.SENT]
    assert [call.args["channel"] for call in again.standin.calls("chat.postMessage")] == [PERSON]
