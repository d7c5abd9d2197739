"""Instruments load from data files, and a file that breaks a rule is named with its item."""

from __future__ import annotations

from pathlib import Path

from instruments.catalog import instrument, instrument_names, load_all, load_instrument, shipped
from tests.unit.instruments.conftest import Write

SHIPPED = ("belonging", "burnout", "circle_safety", "relationship_quality")


def test_the_shipped_instruments_load_and_are_read_once() -> None:
    assert instrument_names() == list(SHIPPED)
    assert list(shipped()) == list(SHIPPED)
    assert instrument("belonging") is instrument("belonging")
    assert shipped()["burnout"] is instrument("burnout")


def test_the_shipped_instruments_have_the_promised_shape() -> None:
    every = shipped()
    for name, size, reversed_items in (
        ("relationship_quality", 5, 1),
        ("circle_safety", 5, 1),
        ("belonging", 4, 0),
        ("burnout", 1, 0),
    ):
        found = every[name]
        assert len(found.items) == size
        assert sum(item.reverse for item in found.items) == reversed_items
        assert found.version == 1
    burnout = every["burnout"].items[0]
    assert burnout.scale is not None
    assert len(burnout.scale.labels) == 5
    assert burnout.scale.labels[0].startswith("I enjoy my work")
    assert "burned out" in burnout.scale.labels[-1]


def test_a_programme_adds_an_instrument_by_adding_a_file(write: Write) -> None:
    folder = write()
    assert instrument_names(folder) == ["trial"]
    trial = load_all(folder)["trial"]
    assert [item.id for item in trial.scored_items] == ["a", "b", "c"]
    assert trial.item("note").scale is None
    assert trial.item("c").reverse
    assert trial.subscales[0].items == ("a", "b", "c")
    assert trial.min_answered == 2  # half of the three scored items, rounded up


def test_a_missing_folder_has_no_instruments(tmp_path: Path) -> None:
    assert instrument_names(tmp_path / "absent") == []
    assert load_all(tmp_path / "absent") == {}


def test_text_and_labels_are_stripped(write: Write) -> None:
    def pad(data: dict[str, object]) -> None:
        data["title"] = "  Trial  "

    assert load_instrument("trial", write(pad)).title == "Trial"
