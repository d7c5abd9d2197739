"""Bolt's OAuth flow, where an install that cannot finish ends in a page saying so, and keeps nothing.

Slack unreachable or failing during the code exchange, the database failing while the state is taken or
the installation saved, or Slack's answer carrying no bot token (Circles sends everything through its
bot): the person reads that Circles was not installed and may try again, the workspace stays as it was,
and the log has one line, without the code. An exception would otherwise reach the server as a bare 500,
and an install without a bot would mark the workspace installed with nothing to send its messages with.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Callable, Sequence
from typing import Any

from slack_bolt import BoltRequest, BoltResponse
from slack_bolt.oauth import OAuthFlow
from slack_bolt.oauth.callback_options import FailureArgs
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.oauth.installation_store import Installation
from sqlalchemy.exc import SQLAlchemyError

from bot.edge.rotation import RotatingStore

# Slack's own words for a failure on its side (at HTTP 200 or 5xx): nothing is wrong with the code.
SLACK_FAILED = frozenset({"internal_error", "fatal_error", "service_unavailable", "request_timeout"})

UNREACHABLE, STORAGE, NO_BOT = "slack_unavailable", "database_unavailable", "no_bot_token"
# What the person reads, by reason, and the status it comes with.
NOT_FINISHED: dict[str, tuple[int, str]] = {
    UNREACHABLE: (502, "Slack could not be reached just now, so nothing was changed. Please try again."),
    STORAGE: (
        503,
        "Circles could not save the installation just now, so nothing was changed. "
        "Please try again in a few minutes.",
    ),
    NO_BOT: (
        400,
        "Slack installed it without its bot, which Circles needs to send prompts and check-ins, so "
        "nothing was changed. Please try again and allow the permissions Circles asks for.",
    ),
}

logger = logging.getLogger(__name__)
# The exchange's client logs a lost connection as an error of its own; the flow reports it, once.
EXCHANGE_LOG = logging.getLogger(f"{__name__}.exchange")
EXCHANGE_LOG.addFilter(lambda record: record.levelno < logging.ERROR)


class NotFinished(Exception):
    """The install stops here, for this reason (a key of NOT_FINISHED)."""

    def __init__(self, reason: str, cause: Exception | None = None) -> None:
        super().__init__(reason)
        self.reason, self.cause = reason, cause


class SlackUnavailable(SlackClientError):
    """Slack answered with a failure of its own (a 5xx, a 429): the code may be fine, the install did not
    finish."""


class ExchangeClient(WebClient):
    """The client of the code exchange: no retries (the code is good once; the person tries again), and
    Slack's own failures told apart from a refused code, which Bolt reads every SlackApiError as."""

    def __init__(self, base_url: str, timeout: float) -> None:
        # slack_sdk's type says int, but urllib takes fractions of a second too.
        super().__init__(base_url=base_url, timeout=timeout, retry_handlers=[], logger=EXCHANGE_LOG)  # type: ignore[arg-type]

    def api_call(self, api_method: str, **kwargs: Any) -> Any:
        try:
            return super().api_call(api_method, **kwargs)
        except SlackApiError as error:
            status = error.response.status_code
            if status >= 500 or status == 429 or error.response.get("error") in SLACK_FAILED:
                raise SlackUnavailable(f"{api_method}: HTTP {status}") from None
            raise


class InstallFlow(OAuthFlow):
    """Bolt's flow; `record` notes the tenant as installed once its tokens are saved (see above)."""

    def __init__(
        self, settings: OAuthSettings, client: WebClient, record: Callable[[Installation], None]
    ) -> None:
        super().__init__(client=client, logger=logger, settings=settings)
        self._record = record

    def handle_installation(self, request: BoltRequest) -> BoltResponse:
        try:
            return super().handle_installation(request)
        except SQLAlchemyError as error:  # the state could not be written
            logger.warning("could not open the install page: %s", type(error).__name__)
            words = "Please try again in a few minutes."
            return page(503, "Circles cannot be installed just now", words, self.settings)

    def handle_callback(self, request: BoltRequest) -> BoltResponse:
        try:
            return super().handle_callback(request)
        except NotFinished as stop:
            status = NOT_FINISHED[stop.reason][0]
            return self.failure_handler(
                FailureArgs(
                    request=request,
                    reason=stop.reason,
                    error=stop.cause,
                    suggested_status_code=status,
                    settings=self.settings,
                    default=self.default_callback_options,
                )
            )

    def run_installation(self, code: str) -> Installation | None:
        try:
            installation = super().run_installation(code)
        except (SlackClientError, OSError) as error:  # refused, timed out, or Slack failing
            raise NotFinished(UNREACHABLE, error) from None
        if installation is not None and not installation.bot_token:
            raise NotFinished(NO_BOT)
        return installation

    def store_installation(self, request: BoltRequest, installation: Installation) -> None:
        store = self.settings.installation_store
        try:
            super().store_installation(request, installation)
            self._record(installation)
        except SQLAlchemyError as error:
            if isinstance(store, RotatingStore):
                store.forget(installation)  # so that nothing shows the workspace installed but this page
            raise NotFinished(STORAGE, error) from None


def not_finished(args: FailureArgs) -> BoltResponse | None:
    """The page for an install stopped for one of our reasons; None for Bolt's own (its page says them)."""
    if args.reason not in NOT_FINISHED:
        return None
    status, words = NOT_FINISHED[args.reason]
    return page(status, "Circles was not installed", words, args.settings)


def page(status: int, heading: str, words: str, settings: OAuthSettings) -> BoltResponse:
    """A short page with a link back to the start of the install; the state cookie, spent, is deleted."""
    install_path = settings.install_path
    body = (
        "<html><head><title>Circles</title></head>"
        '<body style="padding: 10px 15px; font-family: verdana; text-align: center">'
        f"<h2>{html.escape(heading)}</h2><p>{html.escape(words)}</p>"
        f'<p><a href="{html.escape(install_path)}">Add Circles to Slack</a></p>'
        "</body></html>"
    )
    headers: dict[str, str | Sequence[str]] = {
        "Content-Type": "text/html; charset=utf-8",
        "Set-Cookie": settings.state_utils.build_set_cookie_for_deletion(),
    }
    return BoltResponse(status=status, body=body, headers=headers)
