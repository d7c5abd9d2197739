"""An uninstall or a token revocation that is not about the current installation (another bot's token, or
an event from before the reinstall that Slack delivers or retries late) leaves the installation working."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Mapping
from typing import Any

import pytest

from circles.services.intake.workspaces import find_workspace
from standin import defaults
from standin.payloads import event_envelope
from standin.signed import JSON, SignedRequest
from tests.e2e.test_oauth import NEW_TEAM, OAuthApp, install, oauth_app, poll  # noqa: F401 - a fixture

INSTALLED_BOT = defaults.bot_user_id(NEW_TEAM)
IGNORED = "ignored"  # what the app logs of an event it leaves alone


def dated(app: OAuthApp, event: Mapping[str, Any], seconds_ago: float) -> SignedRequest:
    """The event as Slack sends it, its event_time `seconds_ago` in the past, signed now."""
    signer = app.signer
    when = time.time() - seconds_ago
    envelope = event_envelope(dict(event), NEW_TEAM, signer.api_app_id, signer.verification_token, None, when)
    return signer.sign(json.dumps(envelope).encode(), JSON)


def still_installed(app: OAuthApp) -> bool:
    with app.db.reading() as reading:
        workspace = find_workspace(reading.session, NEW_TEAM)
        removed = workspace is None or workspace.uninstalled_at is not None
    return bool(app.rows("slack_installations")) and bool(app.rows("slack_bots")) and not removed


def worked(app: OAuthApp, request: SignedRequest, caplog: pytest.LogCaptureFixture) -> None:
    """Post the event and wait until the app has worked it out: ignored it (and logged so), or forgot the
    installation."""
    with caplog.at_level(logging.INFO):
        assert app.post(request)[0] == 200
        poll(lambda: IGNORED in caplog.text or not still_installed(app))


def test_a_revocation_of_another_bots_token_leaves_the_installation_working(
    oauth_app: OAuthApp,  # noqa: F811 - the fixture imported above
    caplog: pytest.LogCaptureFixture,
) -> None:
    install(oauth_app)
    event = {"type": "tokens_revoked", "tokens": {"oauth": [], "bot": ["U0OLDBOT"]}}

    worked(oauth_app, oauth_app.signer.event(event, team_id=NEW_TEAM), caplog)

    assert still_installed(oauth_app)


def test_a_revocation_of_the_installed_bot_from_before_the_reinstall_leaves_it_working(
    oauth_app: OAuthApp,  # noqa: F811
    caplog: pytest.LogCaptureFixture,
) -> None:
    install(oauth_app)
    event = {"type": "tokens_revoked", "tokens": {"oauth": [], "bot": [INSTALLED_BOT]}}

    worked(oauth_app, dated(oauth_app, event, seconds_ago=600), caplog)

    assert still_installed(oauth_app)


def test_an_uninstall_from_before_the_reinstall_leaves_it_working(
    oauth_app: OAuthApp,  # noqa: F811
    caplog: pytest.LogCaptureFixture,
) -> None:
    install(oauth_app)

    worked(oauth_app, dated(oauth_app, {"type": "app_uninstalled"}, seconds_ago=600), caplog)

    assert still_installed(oauth_app)


def test_a_revocation_of_the_installed_bot_made_since_the_install_forgets_it(
    oauth_app: OAuthApp,  # noqa: F811
) -> None:
    install(oauth_app)
    event = {"type": "tokens_revoked", "tokens": {"oauth": [], "bot": ["U0OLDBOT", INSTALLED_BOT]}}

    assert oauth_app.post(oauth_app.signer.event(event, team_id=NEW_TEAM))[0] == 200

    poll(lambda: not oauth_app.rows("slack_installations") and not oauth_app.rows("slack_bots"))
    assert not still_installed(oauth_app)
