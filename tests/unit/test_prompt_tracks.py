"""Prompt tracks load from data files and every broken one is named with its prompt."""

from __future__ import annotations

from pathlib import Path

import pytest

from prompts.tracks import (
    FOLLOW_UP_LIMIT,
    PROMPT_LIMIT,
    TRACKS_DIR,
    PromptTrackError,
    load_all,
    load_track,
    track_names,
)


def test_the_default_track_has_a_dozen_circle_prompts_on_relational_themes() -> None:
    default = load_track("default")
    circle = default.for_audience("circle")
    assert len(circle) >= 12
    themes = {p.theme for p in circle}
    for theme in (
        "Building trust",
        "Sharing lived experience",
        "Listening to understand",
        "Noticing bias",
        "Accountability",
        "Repairing after conflict",
        "Gratitude",
    ):
        assert theme in themes
    assert default.first("circle") == circle[0]


def test_the_default_track_has_conversation_starters_for_pairs_and_session_ideas_for_coaches() -> None:
    default = load_track("default")
    assert len(default.for_audience("pair")) >= 6
    assert len(default.for_audience("coach")) >= 6
    assert {p.audience for p in default.prompts} == {"circle", "pair", "coach"}


def test_a_team_adds_a_track_by_adding_a_file(tmp_path: Path) -> None:
    (tmp_path / "nursing.yml").write_text(
        "name: nursing\ntitle: Nursing\nprompts:\n"
        "  - {id: n1, theme: Trust, audience: circle, text: Hello, follow_up: '  '}\n"
        "  - {id: 2, theme: Pairs, audience: pair, text: Talk}\n"
    )
    assert track_names(tmp_path) == ["default", "nursing"]
    nursing = load_track("nursing", tmp_path)
    assert nursing.prompts[0].text == "Hello"
    assert nursing.prompts[0].follow_up is None
    assert nursing.for_audience("pair")[0].id == "2"
    assert nursing.for_audience("coach") == ()


def item(text: str = "y", **fields: str) -> str:
    body = {"id": "a", "theme": "x", "audience": "circle", "text": text, **fields}
    return "  - {" + ", ".join(f"{k}: {v!r}" for k, v in body.items()) + "}\n"


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ("name: t\nprompts: []\n", r"t\.yml: expected"),
        ("name: other\nprompts:\n" + item(), r"name: must be 't'"),
        ("name: t\nprompts:\n" + item(""), r"t\.yml: prompt a: text: must be non-empty"),
        ("name: t\nprompts:\n" + item("   "), r"prompt a: text: must be non-empty"),
        (
            "name: t\nprompts:\n" + item(audience="team"),
            r"prompt a: audience: must be one of circle, pair, coach",
        ),
        ("name: t\nprompts:\n" + item() + item("z"), r"t\.yml: prompt a: the id is used twice"),
        ("name: t\nprompts:\n" + item("w" * 2601), r"prompt a: text: 2601 characters, at most 2600"),
        ("name: t\nprompts:\n" + item("<" * 700), r"prompt a: text: 2800 characters"),  # as Slack counts
        (
            "name: t\nprompts:\n" + item(follow_up="f" * 501),
            rf"prompt a: follow_up: 501 .* {FOLLOW_UP_LIMIT}",
        ),
        (
            "name: t\nprompts:\n" + item("w" * 2300, follow_up="f" * 400),
            r"prompt a: text and follow_up together",
        ),
        ("name: t\nprompts:\n" + item(theme="t" * 81), r"prompt a: theme: 81 characters"),
        ("name: t\nprompts:\n" + item(colour="red"), r"prompt a: unknown field\(s\): colour"),
        ("name: t\nprompts:\n  - {theme: x, audience: circle, text: y}\n", r"prompt #1: id"),
        (
            "name: t\nprompts:\n" + item(audience="pair"),
            r"t\.yml: needs at least one prompt with audience: circle",
        ),
        ("name: t\nprompt: []\nprompts:\n" + item(), r"t\.yml: unknown field\(s\): prompt"),
        ("name: t\nprompts:\n  - {id: a\n", r"t\.yml: not valid YAML"),
    ],
)
def test_a_broken_track_names_the_file_and_the_prompt(tmp_path: Path, body: str, problem: str) -> None:
    (tmp_path / "t.yml").write_text(body)
    with pytest.raises(PromptTrackError, match=problem):
        load_track("t", tmp_path)


def test_at_start_up_the_first_broken_file_stops_the_app_with_its_name(tmp_path: Path) -> None:
    (tmp_path / "default.yml").write_text((TRACKS_DIR / "default.yml").read_text())
    (tmp_path / "wards.yml").write_text("name: wards\nprompts:\n" + item() + item())
    with pytest.raises(PromptTrackError, match=r"wards\.yml: prompt a: the id is used twice"):
        load_all(tmp_path)
    (tmp_path / "Bad Name.yml").write_text("name: Bad Name\nprompts:\n" + item())
    (tmp_path / "wards.yml").unlink()
    with pytest.raises(PromptTrackError, match=r"Bad Name\.yml: the file name"):
        load_all(tmp_path)


def test_every_shipped_track_loads_and_fits_slacks_limits() -> None:
    tracks = load_all(TRACKS_DIR)
    assert "default" in tracks
    for track in tracks.values():
        for prompt in track.prompts:
            assert len(prompt.text) + len(prompt.follow_up or "") <= PROMPT_LIMIT


def test_the_example_track_in_the_readme_loads(tmp_path: Path) -> None:
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    example = readme.split("```yaml\nname: nursing", 1)[1].split("```", 1)[0]
    (tmp_path / "nursing.yml").write_text("name: nursing" + example)
    assert load_track("nursing", tmp_path).prompts[0].id == "handover-trust"
