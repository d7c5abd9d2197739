"""One global error handler: a short kind answer for the person, the traceback for the log."""

from __future__ import annotations

import json
import logging
from typing import Any

from slack_bolt import App, BoltResponse, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.direct_reply import DirectReply
from bot.edge.response_url import slacks_own
from bot.gateway.outcomes import TRANSIENT, error_code
from bot.views.errors import friendly_message
from circles.errors import CirclesError
from circles.persistence.retry import database_unavailable

logger = logging.getLogger("circles.errors")


def register(app: App) -> None:
    app.error(handle_error)


def handle_error(
    error: Exception,
    body: dict[str, Any],
    response: BoltResponse | None,
    respond: Respond | None,
    client: WebClient | None = None,
) -> BoltResponse | None:
    """Tell the person what happened in plain words; keep the details for whoever reads the log.

    Bolt hands in its own `respond` when the failure came before the ack: its response_url is the payload's,
    used only when it is Slack's. Bolt's `client` goes to SLACK_API_URL (none when authorization failed).
    """
    text = explained(error, body)
    if response is not None and body.get("command"):
        # Not yet acknowledged: the HTTP answer itself becomes the ephemeral message.
        return BoltResponse(
            status=200,
            body=json.dumps({"response_type": "ephemeral", "text": text}),
            headers={"content-type": "application/json"},
        )
    if isinstance(respond, DirectReply) or (
        respond is not None and slacks_own(respond.response_url, client.base_url if client else "")
    ):
        try:
            respond(text=text, response_type="ephemeral", replace_original=False)
        except Exception:  # the error handler must never raise on top of the error it handles
            logger.warning("could not tell the person about the failure", exc_info=True)
    return None


def explained(error: Exception, body: dict[str, Any]) -> str:
    """Log a failure as its kind calls for (a refusal in a line, a fault with its traceback); the words
    that tell the person."""
    slack_said = _slack_declined(error)
    unavailable = database_unavailable(error)
    unanswered = "" if slack_said else slack_unanswered(error)
    if isinstance(error, CirclesError):
        logger.info("refused %s: %s", _what(body), type(error).__name__)
    elif slack_said:
        logger.warning("Slack declined a call for %s: %s", _what(body), slack_said)
    elif unavailable:
        # The engine checks connections before use, so the next request has a live one.
        logger.warning("the database was unavailable for %s: %s", _what(body), _driver_error(error))
    elif unanswered:
        logger.warning("Slack did not answer a call for %s: %s", _what(body), unanswered)
    else:
        logger.exception("failed to handle %s", _what(body), exc_info=error)
    if unavailable:
        return DATABASE_UNAVAILABLE
    if unanswered:
        return SLACK_UNANSWERED
    return SLACK_DECLINED.get(slack_said, "") or friendly_message(error)


# Slack's refusals that happen in the ordinary run of things: no traceback, and words that say what to do.
# Not "nothing was changed": some commands keep what they opened (a check-in) before the form is asked for.
_FORM_TOO_LATE = "The form could not open in time. Please try again."
SLACK_DECLINED = {
    "expired_trigger_id": _FORM_TOO_LATE,
    "exchanged_trigger_id": _FORM_TOO_LATE,
    "invalid_trigger_id": _FORM_TOO_LATE,
    "ratelimited": "Slack asked Circles to slow down just now. Please try again in a minute.",
}


# A call Slack did not answer in time, or answered with a server error or one it documents as passing, may
# still have landed (a form opened): never "nothing was changed".
SLACK_UNANSWERED = "Slack did not answer in time. If nothing happened, please try again."

# A file's sharing Slack did not answer may have shared it: it is never tried again (bot.slack_client), and
# a second ask would bring a second copy.
FILE_UNANSWERED = (
    "Slack did not answer in time while sharing the file, so it may be there already: look in your direct "
    "messages with Circles before asking again."
)


def unanswered_share(error: Exception, what: str) -> bool:
    """Whether Slack did not answer a file's sharing (see slack_unanswered); if so, one line in the log
    naming `what` was shared (never the file's name or content) and the failure's code or type. A 429 is
    Slack's refusal, which shared nothing: the global handler says so."""
    why = "" if _slack_declined(error) else slack_unanswered(error)
    if why:
        logger.warning("Slack did not answer while sharing %s: %s", what, why)
    return bool(why)


# The work's connection dropped (PostgreSQL restarted, say) or none could be made: said plainly, no traceback.
DATABASE_UNAVAILABLE = "Circles could not do that just now; please try again."


def _driver_error(error: Exception) -> str:
    """The driver's name for what happened, and PostgreSQL's code: never its words, which may quote data."""
    orig = getattr(error, "orig", None) or error
    code = getattr(orig, "sqlstate", None)
    return type(orig).__name__ + (f" ({code})" if code else "")


def _slack_declined(error: Exception) -> str:
    """The code of a refusal of Slack's listed in SLACK_DECLINED; "" for any other error."""
    if isinstance(error, SlackApiError) and error_code(error) in SLACK_DECLINED:
        return error_code(error)
    return ""


def slack_unanswered(error: Exception) -> str:
    """What kept Slack from answering: a timeout or a dropped connection (its type), a 5xx or an error Slack
    documents as passing (its code); "" for any other error."""
    if isinstance(error, OSError):
        return type(error).__name__
    if isinstance(error, SlackApiError) and (
        error.response.status_code >= 500 or error_code(error) in TRANSIENT
    ):
        return error_code(error)
    return ""


def _what(body: dict[str, Any]) -> str:
    """Name the request without its content: payloads may hold notes and ratings."""
    if body.get("command"):
        return f"command {body['command']}"
    if body.get("type") == "event_callback":
        return f"event {body.get('event', {}).get('type')}"
    return f"{body.get('type', 'request')}"
