"""What every typed outgoing message shares, and reading its stored arguments back.

A message kind is a frozen dataclass: its fields say what the message holds, `to_args()` gives the plain
JSON values the outbox keeps, and `from_args()` reads them back, refusing with MalformedPayload anything
that does not fit. Rows written before a field existed read with that field's default.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from datetime import date, datetime
from enum import StrEnum
from typing import Any, ClassVar, Self, TypeVar

E = TypeVar("E", bound=StrEnum)


class MalformedPayload(ValueError):
    """Stored arguments that do not fit their message kind: the message cannot be rendered.

    The text names the kind and the argument, never its value: arguments may hold what people wrote.
    """


class UnknownTemplate(KeyError):
    """An outbox row names a template this version of the app does not know."""


class Payload(ABC):
    """One kind of outgoing message: what it says, as typed values."""

    TEMPLATE: ClassVar[str]  # the name stored with the row, which picks the renderer at send time
    # Health, notes, reasons or requests inside: the dispatcher scrubs the arguments once it is sent.
    PRIVATE: ClassVar[bool] = False
    # Someone is waiting for it now, or it protects someone (a typed message's answer, a request for
    # support, an alert): a claim takes it, and its conversation's earlier rows, before any other due row.
    URGENT: ClassVar[bool] = False

    @abstractmethod
    def to_args(self) -> dict[str, Any]:
        """The plain JSON values the outbox keeps for this message."""

    @classmethod
    @abstractmethod
    def from_args(cls, args: object) -> Self:
        """The message from its stored arguments; MalformedPayload when they do not fit."""


class Fields:
    """Typed reads of one object of stored arguments; a value that does not fit raises MalformedPayload.

    Arguments this version does not read are ignored: a row may carry what another sender needs.
    """

    def __init__(self, where: str, args: object) -> None:
        if not isinstance(args, Mapping):
            raise MalformedPayload(f"{where}: not an object")
        self._where = where
        self._args: Mapping[Any, Any] = args

    def _refuse(self, key: str, expected: str) -> MalformedPayload:
        return MalformedPayload(f"{self._where}.{key}: expected {expected}")

    def text(self, key: str, default: str | None = None) -> str:
        """A string; required unless a default is given (used when the value is missing or null)."""
        value = self._args.get(key)
        if value is None and default is not None:
            return default
        if not isinstance(value, str):
            raise self._refuse(key, "a string")
        return value

    def optional_text(self, key: str) -> str | None:
        value = self._args.get(key)
        if value is not None and not isinstance(value, str):
            raise self._refuse(key, "a string or null")
        return value

    def present(self, key: str) -> bool:
        """Whether the argument is there and not null."""
        return self._args.get(key) is not None

    def integer(self, key: str, default: int | None = None) -> int:
        """An integer; required unless a default is given (used when the value is missing or null)."""
        value = self._args.get(key)
        if value is None and default is not None:
            return default
        if not isinstance(value, int) or isinstance(value, bool):
            raise self._refuse(key, "an integer")
        return value

    def flag(self, key: str) -> bool:
        """A boolean; missing or null reads as False."""
        value = self._args.get(key)
        if value is None:
            return False
        if not isinstance(value, bool):
            raise self._refuse(key, "true or false")
        return value

    def choice(self, key: str, kind: type[E]) -> E:
        found = self.optional_choice(key, kind)
        if found is None:
            raise self._refuse(key, f"one of {_values(kind)}")
        return found

    def optional_choice(self, key: str, kind: type[E]) -> E | None:
        """One of the enum's values; missing, null or empty reads as None."""
        value = self._args.get(key)
        if value is None or value == "":
            return None
        if not isinstance(value, str) or value not in {member.value for member in kind}:
            raise self._refuse(key, f"one of {_values(kind)}")
        return kind(value)

    def moment(self, key: str) -> datetime | None:
        """An ISO date and time; missing or null reads as None."""
        value = self.optional_text(key)
        return None if value is None else as_moment(value, self._refuse(key, "an ISO date and time"))

    def objects(self, key: str) -> list[Fields]:
        """A list of objects, each read with its own Fields; missing or null reads as empty."""
        return [Fields(f"{self._where}.{key}[{n}]", item) for n, item in enumerate(self.items(key))]

    def texts(self, key: str) -> tuple[str, ...]:
        found = self.items(key)
        if not all(isinstance(item, str) for item in found):
            raise self._refuse(key, "a list of strings")
        return tuple(found)

    def items(self, key: str) -> list[Any]:
        """A list, as stored; missing or null reads as empty."""
        value = self._args.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            raise self._refuse(key, "a list")
        return value


def as_moment(value: str, refused: MalformedPayload) -> datetime:
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        raise refused from None


def as_day(value: object, refused: MalformedPayload) -> date:
    """The day an ISO date or date and time falls on."""
    if not isinstance(value, str):
        raise refused
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        raise refused from None


def _values(kind: type[StrEnum]) -> str:
    return ", ".join(member.value for member in kind)
