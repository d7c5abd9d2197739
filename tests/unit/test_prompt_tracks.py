"""Prompt tracks load from data files and every broken one is named with its prompt."""

from __future__ import annotations

from pathlib import Path

import pytest

from prompts.tracks import TRACKS_DIR, PromptTrackError, load_all, load_track, track_names


def test_the_default_track_has_a_dozen_circle_prompts_on_relational_themes() -> None:
    default = load_track("default")
    circle = [p for p in default.prompts if p.audience == "circle"]
    assert len(circle) >= 12
    themes = {p.theme for p in circle}
    for theme in (
        "Building trust",
        "Lived experience",
        "Listening to understand",
        "Noticing bias",
        "Gratitude",
    ):
        assert theme in themes
    assert default.first("circle") == circle[0]


def test_a_team_adds_a_track_by_adding_a_file(tmp_path: Path) -> None:
    (tmp_path / "nursing.yml").write_text(
        "name: nursing\ntitle: Nursing\nprompts:\n  - {id: n1, theme: Trust, audience: circle, text: Hello}\n"
    )
    assert track_names(tmp_path) == ["default", "nursing"]
    assert load_track("nursing", tmp_path).prompts[0].text == "Hello"


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ("name: t\nprompts: []\n", r"t\.yml: expected"),
        ("name: other\nprompts:\n  - {id: a, theme: x, audience: circle, text: y}\n", r"name: must be 't'"),
        (
            "name: t\nprompts:\n  - {id: a, theme: x, audience: circle, text: ''}\n",
            r"prompt a: text: must be non-empty",
        ),
        ("name: t\nprompts:\n  - {id: a, theme: x, audience: team, text: y}\n", r"prompt a: audience"),
        (
            "name: t\nprompts:\n  - {id: a, theme: x, audience: circle, text: y}\n"
            "  - {id: a, theme: x, audience: circle, text: z}\n",
            r"prompt a: the id is used twice",
        ),
        (
            "name: t\nprompts:\n  - {id: a, theme: x, audience: circle, text: " + "w" * 2600 + "}\n",
            r"prompt a: text: 2600",
        ),
        ("name: t\nprompts:\n  - {theme: x, audience: circle, text: y}\n", r"prompt #1: id"),
    ],
)
def test_a_broken_track_names_the_file_and_the_prompt(tmp_path: Path, body: str, problem: str) -> None:
    (tmp_path / "t.yml").write_text(body)
    with pytest.raises(PromptTrackError, match=problem):
        load_track("t", tmp_path)


def test_every_shipped_track_loads() -> None:
    assert "default" in load_all(TRACKS_DIR)
