"""The redaction filter under every log handler: tokens, secrets and request bodies never get through."""

from __future__ import annotations

import io
import logging

from bot import logs

REFUSED = "MARKER-REFUSED-forged-words"


def test_the_redaction_filter_keeps_tokens_secrets_and_bodies_out_of_any_line() -> None:
    buffer = io.StringIO()
    logger = logging.getLogger("tests.redaction")
    handler = logging.StreamHandler(buffer)
    handler.addFilter(logs.Redaction(["s3cr3t-value"]))
    logger.addHandler(handler)
    try:
        logger.warning("token %s and xapp-1-A0-123-abc", "xoxb-123-456-abcdef")
        logger.warning("secret s3cr3t-value and 0123456789abcdef0123456789abcdef")
        logger.warning("Invalid request (body: token=abc&text=%s)", REFUSED)
        logger.warning("Unhandled request ({'type': 'x', 'submission': {'a': '%s'}})", REFUSED)
        logger.warning('got {"text": "%s"}', REFUSED)
        logger.warning("handled command /circles in 12 ms")
    finally:
        logger.removeHandler(handler)
    logged = buffer.getvalue()
    for leaked in ("xoxb-", "xapp-", "s3cr3t", "0123456789abcdef0123456789abcdef", REFUSED):
        assert leaked not in logged
    assert "handled command /circles in 12 ms" in logged


def test_an_oauth_code_bolt_logs_when_an_exchange_fails_is_redacted() -> None:
    code = "1234567890123.9876543210987.0a1b2c3d4e5f"
    redaction = logs.Redaction()
    bolt_says = f"Failed to fetch oauth.v2.access result with code: {code} - error: invalid_code"
    assert code not in redaction.clean(bolt_says)
    assert "invalid_code" in redaction.clean(bolt_says)
    assert code not in redaction.clean(f"GET /slack/oauth_redirect?state=s&code={code}&x=1")


def test_a_secret_as_short_as_a_letter_is_redacted_where_it_stands_alone_not_inside_every_word() -> None:
    redaction = logs.Redaction(["s", "k3y", "long-enough-secret"])
    assert redaction.clean("sending 3 messages in 12 ms") == "sending 3 messages in 12 ms"
    assert redaction.clean("signing secret s, key=k3y;") == "signing secret [redacted], key=[redacted];"
    assert redaction.clean("prefix-long-enough-secretsuffix") == "prefix-[redacted]suffix"


def test_a_response_url_slack_sdk_logs_at_debug_is_redacted_it_lets_whoever_holds_it_post() -> None:
    url = "https://hooks.slack.com/actions/T0001/1234567890/AbCdEfGhIjKlMnOpQrStUvWx"
    said = logs.Redaction().clean(f"Sending a request - url: {url}, query_params: {{}}, json_body: ...")
    assert "AbCdEfGhIjKlMnOpQrStUvWx" not in said
    assert "https://hooks.slack.com/actions/" in said  # which kind of address, for whoever reads the log
