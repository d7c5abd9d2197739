"""Slack's request signature, checked on the raw bytes before anything in them is read."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from dataclasses import dataclass

FRESH_SECONDS = 5 * 60  # Slack's own window: an older request may be a replay
TIMESTAMP_DIGITS = 12  # seconds since 1970 have 10 digits until the year 2286
VERSION = "v0"


@dataclass(frozen=True)
class Signed:
    """A request whose signature holds: what names it among all requests Slack sends."""

    timestamp: int
    signature: str


class SignatureCheck:
    """Slack's v0 scheme: HMAC-SHA256 of `v0:{timestamp}:{body}` with the signing secret.

    slack_sdk's SignatureVerifier decodes the body as UTF-8 first, which raises on hostile bytes;
    the HMAC here is taken over the bytes as they came.
    """

    def __init__(self, signing_secret: str, now: Callable[[], float]) -> None:
        self._secret = signing_secret.encode()
        self._now = now

    def verify(self, body: bytes, timestamp: str | None, signature: str | None) -> Signed | None:
        """The request's identity when it is signed with our secret within the window; None otherwise."""
        if not timestamp or not signature or not signature.isascii():
            return None
        # int() also takes " 12", "+12", "1_2" and non-ASCII digits: only plain ASCII digits are a timestamp.
        if not (timestamp.isascii() and timestamp.isdigit() and len(timestamp) <= TIMESTAMP_DIGITS):
            return None
        seconds = int(timestamp)
        if abs(self._now() - seconds) > FRESH_SECONDS:
            return None
        digest = hmac.new(self._secret, f"{VERSION}:{timestamp}:".encode() + body, hashlib.sha256)
        if not hmac.compare_digest(f"{VERSION}={digest.hexdigest()}", signature):
            return None
        return Signed(seconds, signature)
