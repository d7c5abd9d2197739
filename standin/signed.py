"""A signed request as Slack sends it, and a helper to POST one to an app."""

from __future__ import annotations

import hashlib
import hmac
import json
import urllib.error
import urllib.request
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import parse_qsl

JsonDict = dict[str, Any]
FORM = "application/x-www-form-urlencoded"
JSON = "application/json"


@dataclass(frozen=True)
class SignedRequest:
    """A body and the headers Slack would send with it."""

    body: bytes
    headers: dict[str, str]

    def wrong_signature(self) -> SignedRequest:
        """The same request with a well-formed signature made with another secret."""
        timestamp = self.headers.get("X-Slack-Request-Timestamp", "0")
        digest = hmac.new(b"not-the-signing-secret", f"v0:{timestamp}:".encode() + self.body, hashlib.sha256)
        return replace(self, headers={**self.headers, "X-Slack-Signature": f"v0={digest.hexdigest()}"})

    def without_signature(self) -> SignedRequest:
        """The same request without the signature and timestamp headers."""
        dropped = ("X-Slack-Signature", "X-Slack-Request-Timestamp")
        return replace(self, headers={k: v for k, v in self.headers.items() if k not in dropped})

    def payload(self) -> JsonDict:
        """The decoded content: the JSON body, the payload= form field, or the form fields."""
        if self.headers["Content-Type"].startswith(JSON):
            data: JsonDict = json.loads(self.body)
            return data
        form = dict(parse_qsl(self.body.decode(), keep_blank_values=True))
        return json.loads(form["payload"]) if "payload" in form else dict(form)


def post(url: str, signed: SignedRequest, timeout: float = 5.0) -> tuple[int, dict[str, str], bytes]:
    """POST a signed request; returns (status, headers, body) without raising on 4xx/5xx."""
    # The URL is always a local server under test, so urllib's file:// and ftp:// handling is moot.
    request = urllib.request.Request(url, data=signed.body, headers=signed.headers, method="POST")  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return response.status, dict(response.headers.items()), response.read()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, dict(error.headers.items()), error.read()
