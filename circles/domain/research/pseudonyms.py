"""Stable pseudonymous IDs for research data: a keyed hash per cohort, never reversible without the key."""

from __future__ import annotations

import base64
import hashlib
import hmac

PREFIX = "P-"
LENGTH = 12  # 60 bits: no collision to expect among a cohort's members, and short enough to read


class EmptyResearchKey(ValueError):
    """An installation secret is needed: without one the IDs could be recomputed by anyone."""


def pseudonym(key: bytes, cohort_id: int, slack_user_id: str) -> str:
    """The same person's ID in one cohort: "P-" and 12 base32 characters."""
    if not key:
        raise EmptyResearchKey("the research key is empty")
    # A separator the parts cannot contain keeps (1, "2x") and (12, "x") apart.
    message = f"circles-research\x00{cohort_id}\x00{slack_user_id}".encode()
    digest = hmac.new(key, message, hashlib.sha256).digest()
    return PREFIX + base64.b32encode(digest).decode("ascii")[:LENGTH]
