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
