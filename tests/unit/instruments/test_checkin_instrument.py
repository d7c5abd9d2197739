"""The check-in's questions are an instrument too; a programme's own folder joins the catalogue."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.views.checkin import checkin_message
from circles.settings import SettingsError, load_settings
from instruments.catalog import INSTRUMENTS_DIR, catalogue, load_instrument
from instruments.checkin import CHECKIN, checkin_words, words_of
from instruments.model import InstrumentError
from tests.unit.instruments.conftest import Write


def checkin_data() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((INSTRUMENTS_DIR / "checkin.yml").read_text(encoding="utf-8"))
    return data


def write_checkin(folder: Path, change: Any = None) -> Path:
    data = checkin_data()
    if change is not None:
        change(data)
    (folder / "checkin.yml").write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return folder


def test_the_shipped_checkin_keeps_todays_words_and_is_not_a_survey() -> None:
    words = checkin_words()
    assert words.rating_question == "How is it going?"
    assert words.rating_labels == {1: "Struggling", 2: "Hard going", 3: "Okay", 4: "Good", 5: "Going well"}
    assert (words.met_question, words.met_yes, words.met_no) == (
        "Have you met since the last check-in?",
        "Yes",
        "Not yet",
    )
    assert CHECKIN not in catalogue()


def test_a_reworded_checkin_file_rewords_the_checkin(tmp_path: Path) -> None:
    def reword(data: dict[str, Any]) -> None:
        data["scales"][0]["labels"] = ["Rough", "Meh", "Fine", "Nice", "Great"]

    words = words_of(load_instrument(CHECKIN, write_checkin(tmp_path, reword)))
    assert words.rating_labels[5] == "Great"
    assert words.rating_labels[1] == "Rough"


@pytest.mark.parametrize(
    ("change", "said"),
    [
        (lambda d: d["items"].pop(), "exactly `rating` then `met`"),
        (lambda d: d["items"].reverse(), "exactly `rating` then `met`"),
        (
            lambda d: d["scales"][0].update(max=7, labels=list("abcdefg")),
            "item rating: must be on a scale from 1 to 5",
        ),
        (lambda d: d["items"][1].update(scale="text"), "item met: must be on a scale from 0 to 1"),
        (lambda d: d["scales"][0]["labels"].__setitem__(0, "x" * 71), "at most 70 characters"),
    ],
)
def test_the_checkin_file_keeps_its_shape(tmp_path: Path, change: Any, said: str) -> None:
    with pytest.raises(InstrumentError, match=said):
        load_instrument(CHECKIN, write_checkin(tmp_path, change))


def test_the_checkin_message_takes_its_labels_from_the_file() -> None:
    buttons = checkin_message(7, "PGY-1", "U0PART").blocks[1].to_dict()["elements"]
    assert [b["text"]["text"] for b in buttons] == [
        f"{r} · {checkin_words().rating_labels[r]}" for r in range(1, 6)
    ]


def test_an_extra_folder_joins_the_catalogue(write: Write) -> None:
    folder = write()
    found = catalogue(folder)
    assert "trial" in found
    assert "belonging" in found  # the shipped ones stay


def test_a_name_taken_by_a_shipped_instrument_names_both_files(write: Write) -> None:
    folder = write(lambda data: data.update(name="belonging"), name="belonging")
    with pytest.raises(InstrumentError) as clash:
        catalogue(folder)
    assert str(folder / "belonging.yml") in str(clash.value)
    assert str(INSTRUMENTS_DIR / "belonging.yml") in str(clash.value)


def test_the_checkin_cannot_be_replaced_from_the_extra_folder(tmp_path: Path) -> None:
    with pytest.raises(InstrumentError, match="checkin"):
        catalogue(write_checkin(tmp_path))


def test_the_setting_names_the_folder_and_a_broken_file_stops_the_start(
    write: Write, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = write()
    monkeypatch.setenv("CIRCLES_INSTRUMENTS_DIR", str(folder))
    assert load_settings(_env_file=None).circles_instruments_dir == folder
    (folder / "broken.yml").write_text("name: broken\n", encoding="utf-8")
    catalogue.cache_clear()
    with pytest.raises(SettingsError, match=r"CIRCLES_INSTRUMENTS_DIR.*broken\.yml"):
        load_settings(_env_file=None)
    monkeypatch.setenv("CIRCLES_INSTRUMENTS_DIR", str(folder / "absent"))
    with pytest.raises(SettingsError, match="no such folder"):
        load_settings(_env_file=None)
