"""Instruments as data files under instruments/, loaded and checked.

One file is one instrument: its response scales, its items (each on a scale, or `scale: text` for free
text; numeric items may be reverse-scored) and its subscales. A programme adds an instrument by adding a
file. A total needs `min_answered` scored items answered (optional; half of them, rounded up, by default).
The name `checkin` is kept for the check-in's own questions (instruments/checkin.py): it is loaded like
the others but never listed among the surveys. A setting may name one more folder of a programme's own
files (`catalogue`); a name found in both is an error naming both files.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

from circles.datafiles import read_named
from instruments import parts
from instruments.checkin import CHECKIN, check_checkin
from instruments.model import Instrument, InstrumentError, Item, Scale, Subscale

INSTRUMENTS_DIR = Path(__file__).parent
NAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_]{0,31}$")  # the name prefixes column names in an export
DESCRIPTION_LIMIT = 1000
INSTRUMENT_KEYS = {"name", "title", "description", "version", "scales", "items", "subscales", "min_answered"}
REQUIRED_KEYS = {"name", "title", "description", "version", "scales", "items"}
T = TypeVar("T")
U = TypeVar("U", Scale, Item, Subscale)


def instrument_names(folder: Path = INSTRUMENTS_DIR) -> list[str]:
    """Names of the survey instrument files present (the check-in's own file is not a survey)."""
    if not folder.is_dir():
        return []
    return sorted(path.stem for path in folder.glob("*.yml") if path.stem != CHECKIN)


def load_instrument(name: str, folder: Path = INSTRUMENTS_DIR) -> Instrument:
    """Read one instrument and check every rule; the first broken one raises with its file and item."""
    rule = "lowercase letters, digits or _ (at most 32)"
    path, data = read_named(folder, name, NAME_PATTERN, rule, "instrument", InstrumentError)
    data = parts.fields(str(path), data, INSTRUMENT_KEYS, REQUIRED_KEYS)
    if data["name"] != name:
        raise InstrumentError(f"{path}: name: must be {name!r}, the file's name")
    version = parts.whole(str(path), "version", data["version"])
    if version < 1:
        raise InstrumentError(f"{path}: version: must be 1 or more")
    where = str(path)
    scales = {s.id: s for s in _unique(where, "scale", _listed(where, data, "scales", parts.scale))}
    items = _unique(where, "item", _listed(where, data, "items", lambda p, i, e: parts.item(p, i, e, scales)))
    by_id = {item.id: item for item in items}
    raw_subscales = data.get("subscales") or []
    if not isinstance(raw_subscales, list):
        raise InstrumentError(f"{path}: subscales: must be a list")
    subscales = _unique(
        where, "subscale", [parts.subscale(where, i, e, by_id) for i, e in enumerate(raw_subscales, start=1)]
    )
    _check_membership(where, items, {s.id: s.items for s in subscales})
    _check_variables(where, items, subscales)
    scored = sum(1 for item in items if item.scale is not None)
    least = parts.whole(where, "min_answered", data.get("min_answered", (scored + 1) // 2))
    if scored and not 1 <= least <= scored:
        raise InstrumentError(f"{path}: min_answered: must be between 1 and {scored}")
    found = Instrument(
        name,
        parts.text(where, "title", data["title"], parts.TITLE_LIMIT),
        parts.text(where, "description", data["description"], DESCRIPTION_LIMIT),
        version,
        tuple(scales.values()),
        tuple(items),
        tuple(subscales),
        least,
    )
    if name == CHECKIN:
        check_checkin(path, found)
    return found


def instrument(name: str) -> Instrument:
    """An instrument of this installation's catalogue (shipped, or the programme's own), read once."""
    found = known().get(name)
    return found if found is not None else load_instrument(name)


_programme: list[
    Path
] = []  # the programme's own folder, when its settings name one (CIRCLES_INSTRUMENTS_DIR)


def use_programme_folder(folder: Path | None) -> None:
    """Make this folder's instruments known to the whole process: planning, messages, forms and exports
    all look instruments up by name, and the settings name the folder once, at start."""
    if folder is not None:
        catalogue(folder)  # checked before it is used
    _programme[:] = [] if folder is None else [folder]


def known() -> dict[str, Instrument]:
    """The survey instruments this installation offers, by name: the catalogue of its settings' folder."""
    return catalogue(_programme[0] if _programme else None)


def load_all(folder: Path = INSTRUMENTS_DIR) -> dict[str, Instrument]:
    """Every instrument in the folder; the first broken one stops with its file and item named."""
    return {name: load_instrument(name, folder) for name in instrument_names(folder)}


@cache
def shipped() -> dict[str, Instrument]:
    """Every shipped instrument, read once per process."""
    return {name: load_instrument(name) for name in instrument_names()}


@cache
def catalogue(extra: Path | None = None) -> dict[str, Instrument]:
    """The survey instruments offered: the shipped ones, plus those of a programme's own folder."""
    found = dict(shipped())
    if extra is None:
        return found
    if not extra.is_dir():
        raise InstrumentError(f"{extra}: no such folder of instruments")
    for path in sorted(extra.glob("*.yml")):
        if path.stem in found or path.stem == CHECKIN:
            raise InstrumentError(f"{path}: the name {path.stem!r} is taken by {INSTRUMENTS_DIR / path.name}")
        found[path.stem] = load_instrument(path.stem, extra)
    return found


def _listed(where: str, data: dict[str, Any], key: str, read: Callable[[str, int, Any], T]) -> list[T]:
    entries = data[key]
    if not isinstance(entries, list) or not entries:
        raise InstrumentError(f"{where}: {key}: must be a non-empty list")
    return [read(where, index, entry) for index, entry in enumerate(entries, start=1)]


def _unique(where: str, kind: str, found: list[U]) -> list[U]:
    seen: set[str] = set()
    for entry in found:
        if entry.id in seen:
            raise InstrumentError(f"{where}: {kind} {entry.id}: the id is used twice")
        seen.add(entry.id)
    return found


def _check_membership(where: str, items: list[Item], members: dict[str, tuple[str, ...]]) -> None:
    """An item naming a subscale must be listed by it, so the file says one thing."""
    for item in items:
        if item.subscale is None:
            continue
        if item.subscale not in members:
            raise InstrumentError(f"{where}: item {item.id}: subscale: {item.subscale!r} is not a subscale")
        if item.id not in members[item.subscale]:
            raise InstrumentError(
                f"{where}: item {item.id}: subscale {item.subscale} does not list this item in its items"
            )


def _check_variables(where: str, items: list[Item], subscales: list[Subscale]) -> None:
    """Each item, subscale score and the total become columns of an export: no two may share a name."""
    taken = {"total": "the total"}
    for name, owner in [(i.id, f"item {i.id}") for i in items] + [
        (f"{s.id}_score", f"subscale {s.id}") for s in subscales
    ]:
        if name in taken:
            raise InstrumentError(f"{where}: {owner}: its column {name!r} clashes with {taken[name]}")
        taken[name] = owner
