"""The Bolt app factory: one app per process, built from settings, with nothing done at import."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable

from slack_bolt import App, BoltResponse
from slack_bolt.authorization.authorize import InstallationStoreAuthorize
from slack_bolt.oauth.callback_options import CallbackOptions, FailureArgs, SuccessArgs
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_sdk import WebClient
from slack_sdk.oauth.installation_store import Installation

from bot import errors, listeners
from bot.deps import Deps
from bot.edge.home import keep_to, resume, token_tenant
from bot.edge.install_flow import ExchangeClient, InstallFlow, not_finished
from bot.edge.known_bots import KnownBots
from bot.edge.oauth_states import OAuthStates
from bot.edge.tenant import org_events_org_wide
from bot.scopes import BOT_SCOPES
from bot.slack_client import web_client
from circles.domain.tenants import TenantKind, resolve_tenant
from circles.services.intake.workspaces import record_installation
from circles.settings import Mode, Settings

INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"
OAUTH_STATE_SECONDS = 600
# The store refreshes every rotating token it returns, one process at a time (bot.edge.rotation): Bolt may
# refresh only one already expired a minute ago, which it never gets (0 would read as Bolt's default, 120).
BOLT_NEVER_REFRESHES = -1

logger = logging.getLogger(__name__)
# Named here: without a name Bolt reads the whole call stack (and the source of every frame) to find one.
APP_NAME = "circles"
SLACK_CODE = re.compile(r"[a-z0-9_]{1,60}")  # what Slack's error codes (and Bolt's reasons) look like


def create_app(deps: Deps) -> App:
    """Build the Bolt app for the mode the settings choose, and wire every listener.

    Every listener is an instant ack plus lazy work (bot.listeners.incoming), so the HTTP answer goes
    back as soon as the ack runs instead of Bolt polling for it; the work follows on deps.acked_work,
    which a stopping process finishes before it exits.
    """
    settings = deps.settings.require_slack()
    signing_secret = settings.slack_signing_secret.get_secret_value() if settings.slack_signing_secret else ""
    if settings.mode is Mode.OAUTH:
        oauth, client = _oauth_settings(settings, deps), web_client(settings, pause=deps.retry_pause)
        flow = InstallFlow(
            oauth,
            ExchangeClient(settings.slack_api_url, settings.slack_timeout_seconds),
            record=_recorder(deps),
        )
        app = App(
            name=APP_NAME,
            signing_secret=signing_secret,
            client=client,
            oauth_flow=flow,
            before_authorize=org_events_org_wide,
            # Bolt's type says a plain function, but it takes an Authorize object as it is.
            authorize=_authorize(oauth, client),  # type: ignore[arg-type]
            process_before_response=True,
            listener_executor=deps.acked_work,
        )
    else:
        token = settings.slack_bot_token.get_secret_value() if settings.slack_bot_token else None
        # Bolt checks the token with auth.test here, so a wrong token stops start-up, not the first request.
        app = App(
            name=APP_NAME,
            signing_secret=signing_secret,
            client=web_client(settings, token, deps.retry_pause),
            process_before_response=True,
            listener_executor=deps.acked_work,
        )
        # The token serves the tenant it belongs to: no request names another into being. It works, so
        # the app is installed there: after an uninstall, messages waiting for that tenant may go again.
        home = token_tenant(app.client)
        app.use(keep_to(home))
        resume(deps.db, home, deps.clock())
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
        state_store=OAuthStates(expiration_seconds=OAUTH_STATE_SECONDS, engine=deps.db.engine),
        install_path=INSTALL_PATH,
        redirect_uri_path=REDIRECT_PATH,
        callback_options=CallbackOptions(success=_on_installed, failure=_on_install_failed),
        token_rotation_expiration_minutes=BOLT_NEVER_REFRESHES,
    )


def _authorize(oauth: OAuthSettings, client: WebClient) -> InstallationStoreAuthorize:
    """Bolt's own token look-up through our client (the one OAuthSettings builds would call slack.com
    whatever SLACK_API_URL says). The store refreshes rotating tokens, one process at a time
    (bot.edge.rotation), so Bolt never has one to refresh. The app asks for no user tokens, so the store
    reads the workspace's installation alone: one read whoever sends the request, none for the sender's own.
    Not `bot_only`: Bolt would then take a database that cannot be read for an app no longer installed,
    and tell the person to reinstall it, instead of letting the error reach the error handler."""
    authorize = InstallationStoreAuthorize(
        logger=logger,
        cache_enabled=True,
        installation_store=oauth.installation_store,
        client_id=oauth.client_id,
        client_secret=oauth.client_secret,
        token_rotation_expiration_minutes=BOLT_NEVER_REFRESHES,
        client=client,
    )
    # Who the bot is (auth.test) is asked once a while per token, not before every ack (bot.edge.known_bots).
    authorize.authorize_result_cache = KnownBots()
    return authorize


def _recorder(deps: Deps) -> Callable[[Installation], None]:
    """Once slack_sdk stored the token, record the tenant (and revive it after a reinstall): the workspace,
    or for an org-wide install the organisation. A failure here undoes the install (bot.edge.install_flow).
    """

    def record(installation: Installation) -> None:
        tenant = resolve_tenant(
            installation.team_id, installation.enterprise_id, installation.is_enterprise_install is True
        )
        name = (
            installation.enterprise_name if tenant.kind is TenantKind.ORGANISATION else installation.team_name
        )
        if tenant.key:
            record_installation(deps.db.unit_of_work(), tenant.key, name, now=deps.clock())

    return record


def _on_installed(args: SuccessArgs) -> BoltResponse:
    installation = args.installation
    org = installation.is_enterprise_install is True
    logger.info("installed in %s", resolve_tenant(installation.team_id, installation.enterprise_id, org).key)
    return args.default.success(args)


def _on_install_failed(args: FailureArgs) -> BoltResponse:
    cause = f" ({type(args.error).__name__})" if args.error is not None else ""
    # The reason may be the redirect's `error`, which anyone can write: logged only when it is a code.
    reason = args.reason if SLACK_CODE.fullmatch(args.reason or "") else "an error that is not Slack's code"
    logger.warning("installation failed: %s%s", reason, cause)
    return not_finished(args) or args.default.failure(args)
