"""Private outbox payloads sealed at rest: their arguments encrypted with the notes key, opened on reading.

A private message (an alert with shared notes, a support request, the reason someone gave for ending)
waits in the outbox until it is sent, perhaps for days. Its arguments are stored as a Fernet token under
the notes key, so neither the table nor its backups hold the words; its template and `private` flag stay
in clear for the queries that pick rows by kind. Reading through SQLAlchemy opens it again: code sees the
payload as it was written.

Which keys an engine seals with is set once at start-up (`seal_with`, from the settings' notes key): the
latest key seals, any key given to that engine opens. An engine given none stores payloads as they are
(no key, no notes to hide). A payload that none of the engine's keys opens is read as stored: `unreadable`
tells, and the sender fails that one row rather than stop.
"""

from __future__ import annotations

import json
from typing import Any
from weakref import WeakKeyDictionary

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from sqlalchemy import JSON, Engine
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator, TypeEngine

SEALED = "sealed"  # the key of the token that holds a private payload's arguments


class _Keys:
    def __init__(self, keys: tuple[bytes, ...]) -> None:
        self.keys = keys
        self._sealer = Fernet(keys[0])
        self._openers = MultiFernet([Fernet(key) for key in keys])

    def seal(self, args: Any) -> str:
        return self._sealer.encrypt(json.dumps(args).encode("utf-8")).decode("ascii")

    def open(self, token: str) -> Any:
        return json.loads(self._openers.decrypt(token.encode("ascii")))


# Keyed by each engine's own dialect, which is what a column type is handed when it binds or reads.
_by_dialect: WeakKeyDictionary[Dialect, _Keys] = WeakKeyDictionary()


def seal_with(engine: Engine, key: bytes) -> None:
    """Seal the private payloads this engine writes with `key` (Fernet); keys given before still open."""
    Fernet(key)  # a malformed key fails here, at start-up, not at the first private message
    known = _by_dialect.get(engine.dialect)
    earlier = tuple(k for k in known.keys if k != key) if known is not None else ()
    _by_dialect[engine.dialect] = _Keys((key, *earlier))


def unreadable(payload: Any) -> bool:
    """Whether a payload as read is still sealed: none of this process's keys opens it."""
    return isinstance(payload, dict) and SEALED in payload


class SealedPayload(TypeDecorator[dict[str, Any]]):
    """A JSON payload whose arguments are sealed when it is marked private and the engine has a key."""

    impl = JSON
    cache_ok = True

    def coerce_compared_value(self, op: Any, value: Any) -> TypeEngine[Any]:
        # payload["template"] compares as JSON does: the index is never sealed or encoded twice.
        return self.impl_instance.coerce_compared_value(op, value)

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if not (isinstance(value, dict) and value.get("private") and value.get("args")):
            return value
        keys = _by_dialect.get(dialect)
        if keys is None:
            return value
        kept = {name: part for name, part in value.items() if name != "args"}
        return {**kept, SEALED: keys.seal(value["args"])}

    def process_result_value(self, value: Any, dialect: Dialect) -> Any:
        if not unreadable(value):
            return value
        keys, token = _by_dialect.get(dialect), value[SEALED]
        if keys is None or not isinstance(token, str):
            return value
        try:
            args = keys.open(token)
        except (InvalidToken, ValueError):  # another key's token, or not a token at all
            return value
        kept = {name: part for name, part in value.items() if name != SEALED}
        return {**kept, "args": args}
