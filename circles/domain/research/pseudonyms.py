"""Stable pseudonymous IDs for research data: a keyed hash per cohort, never reversible without the key.

A person's ID is the same in every export of the cohort, so files made at different times can be joined,
until they are erased: a member who comes back after an erasure and agrees again is someone new to the
export. Their ID is then keyed on the instant of the erasure too (`erased_before`), so nothing in a file
made before it can be joined to them; a person never erased keeps the ID they always had.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import UTC, datetime

PREFIX = "P-"
LENGTH = 12  # 60 bits: no collision to expect among a cohort's members, and short enough to read


class EmptyResearchKey(ValueError):
    """An installation secret is needed: without one the IDs could be recomputed by anyone."""


def pseudonym(key: bytes, cohort_id: int, slack_user_id: str, erased_before: datetime | None = None) -> str:
    """The same person's ID in one cohort: "P-" and 12 base32 characters; another one after each erasure."""
    if not key:
        raise EmptyResearchKey("the research key is empty")
    # A separator the parts cannot contain keeps (1, "2x") and (12, "x") apart.
    message = f"circles-research\x00{cohort_id}\x00{slack_user_id}"
    if erased_before is not None:  # as an instant, whatever zone it was read in
        message += f"\x00erased\x00{erased_before.astimezone(UTC).isoformat(timespec='microseconds')}"
    digest = hmac.new(key, message.encode(), hashlib.sha256).digest()
    return PREFIX + base64.b32encode(digest).decode("ascii")[:LENGTH]
