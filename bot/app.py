"""The Bolt app factory: one app per process, built from settings, with nothing done at import."""

from __future__ import annotations

import logging
from collections.abc import Callable

from slack_bolt import App, BoltResponse
from slack_bolt.oauth.callback_options import CallbackOptions, FailureArgs, SuccessArgs
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore

from bot import errors, listeners
from bot.deps import Deps
from bot.scopes import BOT_SCOPES
from bot.slack_client import web_client
from circles.services.intake.workspaces import record_installation
from circles.settings import Mode, Settings

INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"
OAUTH_STATE_SECONDS = 600

logger = logging.getLogger(__name__)


def create_app(deps: Deps) -> App:
    """Build the Bolt app for the mode the settings choose, and wire every listener.

    Every listener is an instant ack plus lazy work (bot.listeners.incoming), so the HTTP answer goes
    back as soon as the ack runs instead of Bolt polling for it; the work follows on Bolt's threads.
    """
    settings = deps.settings.require_slack()
    signing_secret = settings.slack_signing_secret.get_secret_value() if settings.slack_signing_secret else ""
    if settings.mode is Mode.OAUTH:
        app = App(
            signing_secret=signing_secret,
            client=web_client(settings),
            oauth_settings=_oauth_settings(settings, deps),
            process_before_response=True,
        )
    else:
        token = settings.slack_bot_token.get_secret_value() if settings.slack_bot_token else None
        # Bolt checks the token with auth.test here, so a wrong token stops start-up, not the first request.
        app = App(
            signing_secret=signing_secret, client=web_client(settings, token), process_before_response=True
        )
    errors.register(app)
    listeners.register(app, deps)
    return app


def _oauth_settings(settings: Settings, deps: Deps) -> OAuthSettings:
    assert deps.installation_store is not None
    return OAuthSettings(
        client_id=settings.slack_client_id,
        client_secret=settings.slack_client_secret.get_secret_value()
        if settings.slack_client_secret
        else None,
        scopes=list(BOT_SCOPES),
        installation_store=deps.installation_store,
        state_store=SQLAlchemyOAuthStateStore(expiration_seconds=OAUTH_STATE_SECONDS, engine=deps.db.engine),
        install_path=INSTALL_PATH,
        redirect_uri_path=REDIRECT_PATH,
        callback_options=CallbackOptions(success=_on_installed(deps), failure=_on_install_failed),
    )


def _on_installed(deps: Deps) -> Callable[[SuccessArgs], BoltResponse]:
    """After slack_sdk stored the token, record the workspace (and revive it after a reinstall)."""

    def success(args: SuccessArgs) -> BoltResponse:
        installation = args.installation
        if installation.team_id:
            record_installation(
                deps.db.unit_of_work(), installation.team_id, installation.team_name, now=deps.clock()
            )
        logger.info("installed in %s", installation.team_id)
        return args.default.success(args)

    return success


def _on_install_failed(args: FailureArgs) -> BoltResponse:
    logger.warning("installation failed: %s", args.reason)
    return args.default.failure(args)
