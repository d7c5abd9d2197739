"""How `circles` logs: one format, quiet libraries, and a filter that keeps words and secrets out."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from typing import TextIO

from pydantic import SecretStr

from circles.settings import Settings

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
WITHHELD = "[withheld: looked like a request body]"
REDACTED = "[redacted]"

# Bolt writes the whole body of every request that fails its verification (notes, support texts, the
# verification token) at INFO. Bolt resets its loggers' levels when it builds them, but not their filters.
SILENCED = ("slack_bolt.RequestVerification",)
QUIET = {"alembic": logging.WARNING}
# A command that runs once and ends (an import, a tick) says in one `circles:` line that Slack could not be
# reached; the Slack client's own lines, each retry's among them, would come before it, timestamped.
ONE_SHOT_QUIET = {"slack_sdk": logging.CRITICAL}

_TOKEN = re.compile(r"\b(?:xox[a-z]|xapp|xoxe(?:\.xox[a-z])?)-[A-Za-z0-9-]+")
_HEX_SECRET = re.compile(r"\b[0-9a-f]{32}\b")  # Slack's signing secrets and client secrets
_SIGNATURE = re.compile(r"\bv0=[0-9a-f]{64}\b")
# An OAuth code is a credential until Slack exchanges it: Bolt logs it when an exchange fails and, at
# debug, in the query it was brought back with; slack_sdk's debug log among the arguments it sends.
_OAUTH_CODE = re.compile(r"""(\bwith code: |[?&]code=|['"]code['"]: ?\[?['"])[^\s&'"]+""")
# A response_url (or a webhook) lets whoever holds it post for the app: slack_sdk's debug log names it.
_HOOK_URL = re.compile(r"(https?://[^\s/'\"]+/(?:actions|commands|services|triggers|workflows)/)[^\s'\",)]+")
_SQL_PARAMETERS = re.compile(r"\[parameters: .*?\](?=\n|$)", re.DOTALL)
# What a request body looks like once logged: a form of several fields, a payload, or a dict or JSON
# object holding one of the fields Slack puts people's words or tokens in.
_BODY = re.compile(
    r"payload=|\w+=[^&\s]*&\w+=|"
    r"""["'](?:token|text|value|values|submission|state|message|blocks|note|payload|event|actions|view)["']\s*:|"""
    r"\bbody\b\s*[:=]",
    re.IGNORECASE,
)


# Secrets shorter than this are redacted as whole words only: Slack's are 32 characters or more.
WHOLE_WORD_BELOW = 8


class Redaction(logging.Filter):
    """The net under every handler: tokens and secrets redacted, anything like a request body withheld."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        self._secrets: set[str] = {secret for secret in secrets if secret}

    def keep_out(self, *secrets: str) -> None:
        """Redact these exact values too (the signing secret, the tokens in the settings)."""
        self._secrets.update(secret for secret in secrets if secret)

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # arguments that do not fit the format: the format alone says enough
            message = str(record.msg)
        record.msg, record.args = self.clean(message, withhold_bodies=True), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:  # source lines in a traceback may look like bodies: only secrets go there
            record.exc_text = self.clean(_SQL_PARAMETERS.sub("[parameters withheld]", record.exc_text))
        if record.stack_info:
            record.stack_info = self.clean(record.stack_info)
        return True

    def clean(self, text: str, *, withhold_bodies: bool = False) -> str:
        for secret in self._secrets:
            if len(secret) >= WHOLE_WORD_BELOW:
                text = text.replace(secret, REDACTED)
            else:  # a secret as short as "s" is redacted where it stands alone, not inside every word
                text = re.sub(rf"(?<![0-9A-Za-z]){re.escape(secret)}(?![0-9A-Za-z])", REDACTED, text)
        text = _SIGNATURE.sub(REDACTED, _HEX_SECRET.sub(REDACTED, _TOKEN.sub(REDACTED, text)))
        text = _OAUTH_CODE.sub(rf"\1{REDACTED}", text)
        text = _HOOK_URL.sub(rf"\1{REDACTED}", text)
        if withhold_bodies and (found := _BODY.search(text)):
            text = f"{text[: found.start()]}{WITHHELD}"
        return text


REDACTION = Redaction()


def configure(
    level: int = logging.INFO, stream: TextIO | None = None, *, one_shot: bool = False
) -> logging.Handler:
    """Log to stderr (or `stream`) through the redaction filter; returns the handler. A `one_shot` command
    leaves the Slack client's lines out: what went wrong with Slack is its own one line."""
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.addFilter(REDACTION)
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(level)
    for name, quiet_level in {**QUIET, **(ONE_SHOT_QUIET if one_shot else {})}.items():
        logging.getLogger(name).setLevel(quiet_level)
    for name in SILENCED:
        silence(logging.getLogger(name))
    return handler


def keep_out_of_logs(settings: Settings) -> None:
    """Redact the exact tokens and secrets in these settings wherever a log line holds them."""
    values = [getattr(settings, name, None) for name in type(settings).model_fields]
    REDACTION.keep_out(*(value.get_secret_value() for value in values if isinstance(value, SecretStr)))


def tidy_socket_mode(logger: logging.Logger) -> None:
    """slack_sdk's Socket Mode client's lines, without the content of a frame it does not read."""
    if _unread_frame not in logger.filters:
        logger.addFilter(_unread_frame)


# slack_sdk logs a frame it does not read (a binary one, say) as a warning holding the frame's content.
_UNREAD_FRAME = re.compile(r"Received an unsupported data frame \(.*?opcode: (\w+)", re.DOTALL)


def _unread_frame(record: logging.LogRecord) -> bool:
    if found := _UNREAD_FRAME.match(str(record.msg)):
        record.msg, record.args = "ignored a Socket Mode frame Circles does not read (%s)", (found[1],)
        record.levelno, record.levelname = logging.INFO, logging.getLevelName(logging.INFO)
    return True


def silence(logger: logging.Logger) -> None:
    if _drop not in logger.filters:
        logger.addFilter(_drop)


def _drop(record: logging.LogRecord) -> bool:
    return False
