"""Every broken instrument file is refused with a message naming the file and the item."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from instruments.catalog import load_instrument
from instruments.model import InstrumentError
from instruments.parts import ITEM_TEXT_LIMIT, LABEL_LIMIT
from tests.unit.instruments.conftest import Write

Change = Callable[[dict[str, Any]], object]


def item(data: dict[str, Any], index: int) -> dict[str, Any]:
    found: dict[str, Any] = data["items"][index]
    return found


def refused(folder: Path, *fragments: str, name: str = "trial") -> None:
    with pytest.raises(InstrumentError) as caught:
        load_instrument(name, folder)
    message = str(caught.value)
    assert str(folder / f"{name}.yml") in message
    for fragment in fragments:
        assert fragment in message


CASES: list[tuple[str, Change, tuple[str, ...]]] = [
    ("unknown top key", lambda d: d.update(colour="blue"), ("unknown field(s): colour",)),
    ("unknown item key", lambda d: item(d, 1).update(weight=2), ("item b", "unknown field(s): weight")),
    ("unknown scale key", lambda d: d["scales"][0].update(step=1), ("scale four", "unknown field(s): step")),
    ("missing top field", lambda d: d.pop("version"), ("missing field(s): version",)),
    ("missing item text", lambda d: item(d, 0).pop("text"), ("item a", "missing field(s): text")),
    ("missing item id", lambda d: item(d, 2).pop("id"), ("item #3", "missing field(s): id")),
    (
        "missing subscale field",
        lambda d: d["subscales"][0].pop("min_answered"),
        ("subscale main", "min_answered"),
    ),
    ("duplicate item id", lambda d: item(d, 1).update(id="a", subscale=None), ("item a", "used twice")),
    ("duplicate scale id", lambda d: d["scales"].append(dict(d["scales"][0])), ("scale four", "used twice")),
    (
        "duplicate subscale id",
        lambda d: d["subscales"].append(dict(d["subscales"][0])),
        ("subscale main", "used twice"),
    ),
    (
        "min equal to max",
        lambda d: d["scales"][0].update(min=4),
        ("scale four", "min (4) must be less than max (4)"),
    ),
    ("min above max", lambda d: d["scales"][0].update(min=5, max=1), ("scale four", "less than max")),
    ("too few labels", lambda d: d["scales"][0]["labels"].pop(), ("scale four", "labels: expected 4")),
    (
        "too many labels",
        lambda d: d["scales"][0]["labels"].append("More"),
        ("scale four", "labels: expected 4"),
    ),
    (
        "a number as bound",
        lambda d: d["scales"][0].update(max="4"),
        ("scale four", "max: must be a whole number"),
    ),
    (
        "reverse on free text",
        lambda d: item(d, 3).update(reverse=True),
        ("item note", "cannot be reverse-scored"),
    ),
    (
        "reverse not a flag",
        lambda d: item(d, 0).update(reverse="yes"),
        ("item a", "reverse: must be true or false"),
    ),
    ("unknown scale", lambda d: item(d, 0).update(scale="seven"), ("item a", "'seven' is not a scale")),
    (
        "subscale naming an unknown item",
        lambda d: d["subscales"][0]["items"].append("zz"),
        ("subscale main", "'zz' is not an item"),
    ),
    (
        "subscale naming free text",
        lambda d: d["subscales"][0]["items"].append("note"),
        ("subscale main", "'note' is free text"),
    ),
    (
        "item naming an unknown subscale",
        lambda d: item(d, 3).update(subscale="other"),
        ("item note", "'other' is not a subscale"),
    ),
    (
        "item not listed by its subscale",
        lambda d: d["subscales"][0].update(items=["a", "b"]),
        ("item c", "does not list this item"),
    ),
    (
        "min_answered too high",
        lambda d: d["subscales"][0].update(min_answered=4),
        ("subscale main", "between 1 and 3"),
    ),
    (
        "item text too long",
        lambda d: item(d, 1).update(text="x" * (ITEM_TEXT_LIMIT + 1)),
        ("item b", f"text: {ITEM_TEXT_LIMIT + 1} characters, at most {ITEM_TEXT_LIMIT}"),
    ),
    (
        "option label too long",
        lambda d: d["scales"][0]["labels"].__setitem__(0, "y" * (LABEL_LIMIT + 1)),
        ("scale four", f"at most {LABEL_LIMIT}"),
    ),
    ("empty item text", lambda d: item(d, 0).update(text="  "), ("item a", "text: must be non-empty text")),
    ("name not the file's", lambda d: d.update(name="other"), ("name: must be 'trial'",)),
    ("no items", lambda d: d.update(items=[]), ("items: must be a non-empty list",)),
    ("bad item id", lambda d: item(d, 0).update(id="A b"), ("item A b", "id: must be lowercase")),
    ("clashing columns", lambda d: item(d, 3).update(id="main_score"), ("item main_score", "clashes")),
    ("version zero", lambda d: d.update(version=0), ("version: must be 1 or more",)),
]


@pytest.mark.parametrize(("change", "fragments"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_a_broken_file_is_refused_with_its_file_and_item_named(
    write: Write, change: Change, fragments: tuple[str, ...]
) -> None:
    refused(write(change), *fragments)


def test_a_file_that_is_not_yaml_or_not_a_mapping_is_refused(tmp_path: Path) -> None:
    (tmp_path / "broken.yml").write_text("name: [unclosed\n", encoding="utf-8")
    refused(tmp_path, "not valid YAML", name="broken")
    (tmp_path / "listed.yml").write_text("- just\n- a list\n", encoding="utf-8")
    refused(tmp_path, "expected a mapping", name="listed")


def test_a_missing_file_or_a_bad_name_is_refused(tmp_path: Path) -> None:
    refused(tmp_path, "no such instrument", name="absent")
    refused(tmp_path, "the file name must be", name="Bad-Name")
