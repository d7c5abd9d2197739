"""Messages whose stored arguments are their fields, one to one, in the order the fields are declared.

A field's type says how it is kept and read back: a string, an optional string, an integer, a flag (a
boolean; missing reads as False), an enum (kept as its value) or a tuple of such records (kept as a list of
objects). A field's default is also what a row
without it reads as; `Annotated[str, ReadsAs("")]` gives one to a field that has no default of its own.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from enum import StrEnum
from typing import Annotated, Any, Self, TypeVar, get_args, get_origin, get_type_hints

from circles.messages.base import Fields, Payload

Reader = Callable[[Fields, str], Any]
T = TypeVar("T")
_READERS: dict[type, tuple[tuple[str, Reader], ...]] = {}


@dataclasses.dataclass(frozen=True)
class ReadsAs:
    """What a field without a default reads as from rows recorded before it was kept."""

    value: str


class FlatPayload(Payload):
    """A message kind kept as its fields: `to_args` and `from_args` follow the dataclass."""

    def to_args(self) -> dict[str, Any]:
        return args_of(self)

    @classmethod
    def from_args(cls, args: object) -> Self:
        return read(cls, Fields(cls.TEMPLATE, args))


def args_of(record: object) -> dict[str, Any]:
    """The plain JSON values of a flat record, in the order of its fields."""
    return {name: _plain(getattr(record, name)) for name, _ in _readers(type(record))}


def read(kind: type[T], fields: Fields) -> T:
    """The flat record that stored arguments hold; MalformedPayload when one does not fit its field."""
    return kind(**{name: reader(fields, name) for name, reader in _readers(kind)})


def _plain(value: object) -> object:
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, tuple):
        return [args_of(item) for item in value]
    return value


def _readers(kind: type) -> tuple[tuple[str, Reader], ...]:
    """Each field's name and how to read it, worked out once per kind."""
    if kind not in _READERS:
        hints = get_type_hints(kind, include_extras=True)
        _READERS[kind] = tuple((f.name, _reader(hints[f.name], f)) for f in dataclasses.fields(kind))
    return _READERS[kind]


def _reader(hint: Any, field: dataclasses.Field[Any]) -> Reader:
    default = None if field.default is dataclasses.MISSING else field.default
    if get_origin(hint) is Annotated:
        hint, *extras = get_args(hint)
        default = next((extra.value for extra in extras if isinstance(extra, ReadsAs)), default)
    if hint is str:
        return lambda fields, key: fields.text(key, default)
    if hint == str | None:
        return Fields.optional_text
    if hint is int:
        return lambda fields, key: fields.integer(key, default)
    if hint is bool:
        return Fields.flag
    if isinstance(hint, type) and issubclass(hint, StrEnum) and default is not None:
        return lambda fields, key: fields.optional_choice(key, hint) or default
    if isinstance(hint, type) and issubclass(hint, StrEnum):
        return lambda fields, key: fields.choice(key, hint)
    if get_origin(hint) is tuple:
        item = get_args(hint)[0]
        return lambda fields, key: tuple(read(item, each) for each in fields.objects(key))
    raise TypeError(f"{field.name}: a flat message keeps no {hint}")
