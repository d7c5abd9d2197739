"""Outbox keys found by how they begin, as a range of the unique (workspace, key) index.

A `LIKE 'prefix%'` reads a workspace's whole outbox history: PostgreSQL's index on the key cannot serve it
under a linguistic collation (nor with the prefix a bound parameter, once a statement is prepared), and
SQLite's LIKE ignores case, which its index does not. Every key starting with a prefix lies between the
prefix and the prefix with its last character moved one up, in the order of code points, which is the
order of the index: the key's collation is "C" on PostgreSQL (migration 0033), and binary on SQLite.
"""

from __future__ import annotations

import sys

from sqlalchemy import ColumnElement, and_, true

from circles.persistence.models import OutboxMessage

SURROGATES_START, SURROGATES_END = 0xD800, 0xE000  # code points no stored string holds


def key_starts_with(prefix: str) -> ColumnElement[bool]:
    """Whether a row's key starts with `prefix`, asked as a range so that the key's index answers it."""
    key = OutboxMessage.idempotency_key
    if not prefix:
        return true()
    past = beyond(prefix)
    return key >= prefix if past is None else and_(key >= prefix, key < past)


def beyond(prefix: str) -> str | None:
    """The least string after every string that starts with `prefix`; None when there is none (the prefix
    is only the last code point)."""
    kept = prefix.rstrip(chr(sys.maxunicode))
    if not kept:
        return None
    following = ord(kept[-1]) + 1
    return kept[:-1] + chr(SURROGATES_END if following == SURROGATES_START else following)
