"""The shape of an instrument once its file has been read and checked."""

from __future__ import annotations

from dataclasses import dataclass


class InstrumentError(Exception):
    """An instrument file breaks a rule; the message names the file and the item."""


@dataclass(frozen=True)
class Scale:
    id: str
    min: int
    max: int
    labels: tuple[str, ...]

    def label(self, value: int) -> str:
        """The words shown for one value of the scale."""
        return self.labels[value - self.min]


@dataclass(frozen=True)
class Item:
    id: str
    text: str
    scale: Scale | None  # None: a free-text item, never scored
    reverse: bool = False
    subscale: str | None = None


@dataclass(frozen=True)
class Subscale:
    id: str
    title: str
    items: tuple[str, ...]
    min_answered: int


@dataclass(frozen=True)
class Instrument:
    name: str
    title: str
    description: str
    version: int
    scales: tuple[Scale, ...]
    items: tuple[Item, ...]
    subscales: tuple[Subscale, ...]
    min_answered: int  # scored items needed for a total

    def item(self, item_id: str) -> Item:
        """One item by its id (KeyError when the instrument has none by that id)."""
        for item in self.items:
            if item.id == item_id:
                return item
        raise KeyError(item_id)

    @property
    def scored_items(self) -> tuple[Item, ...]:
        """The items answered on a numeric scale, in the file's order."""
        return tuple(item for item in self.items if item.scale is not None)
