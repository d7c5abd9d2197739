"""Prompt tracks as data files under prompts/tracks/, loaded and checked."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

TRACKS_DIR = Path(__file__).parent / "tracks"
DEFAULT_TRACK = "default"
AUDIENCES = ("circle", "pair", "coach")
TEXT_LIMIT = 2500  # fits a Slack section (3000) with a heading and the follow-up around it
FIELD_LIMIT = 300


class PromptTrackError(Exception):
    """A track file breaks a rule; the message names the file and the prompt."""


@dataclass(frozen=True)
class Prompt:
    id: str
    theme: str
    audience: str
    text: str
    follow_up: str | None = None


@dataclass(frozen=True)
class Track:
    name: str
    title: str
    prompts: tuple[Prompt, ...]

    def first(self, audience: str) -> Prompt | None:
        return next((p for p in self.prompts if p.audience == audience), None)


def track_names(folder: Path = TRACKS_DIR) -> list[str]:
    """Names of the track files present (a team adds a track by adding a file)."""
    found = {path.stem for path in folder.glob("*.yml")} if folder.is_dir() else set()
    return sorted(found | {DEFAULT_TRACK})


def load_track(name: str, folder: Path = TRACKS_DIR) -> Track:
    path = folder / f"{name}.yml"
    try:
        data: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PromptTrackError(f"{path}: no such track") from None
    except yaml.YAMLError as error:
        raise PromptTrackError(f"{path}: not valid YAML: {error}") from None
    if not isinstance(data, dict) or not isinstance(data.get("prompts"), list) or not data["prompts"]:
        raise PromptTrackError(f"{path}: expected `name`, `title` and a non-empty list of `prompts`")
    if data.get("name") != name:
        raise PromptTrackError(f"{path}: name: must be {name!r}, the file's name")
    prompts = [_prompt(path, index, item) for index, item in enumerate(data["prompts"], start=1)]
    seen: set[str] = set()
    for prompt in prompts:
        if prompt.id in seen:
            raise PromptTrackError(f"{path}: prompt {prompt.id}: the id is used twice")
        seen.add(prompt.id)
    return Track(name, str(data.get("title") or name), tuple(prompts))


@cache
def track(name: str) -> Track:
    """A shipped track, read once per process."""
    return load_track(name)


def load_all(folder: Path = TRACKS_DIR) -> dict[str, Track]:
    """Every track in the folder; the first broken one stops with its file and prompt named."""
    return {name: load_track(name, folder) for name in track_names(folder)}


def _prompt(path: Path, index: int, item: Any) -> Prompt:
    where = f"{path}: prompt {item.get('id') if isinstance(item, dict) and item.get('id') else f'#{index}'}"
    if not isinstance(item, dict):
        raise PromptTrackError(f"{where}: expected id, theme, audience and text")
    unknown = set(item) - {"id", "theme", "audience", "text", "follow_up"}
    if unknown:
        raise PromptTrackError(f"{where}: unknown field(s): {', '.join(sorted(unknown))}")
    for key, limit in (("id", 64), ("theme", FIELD_LIMIT), ("text", TEXT_LIMIT)):
        value = item.get(key)
        if not isinstance(value, str) or not value.strip():
            raise PromptTrackError(f"{where}: {key}: must be non-empty text")
        if len(value) > limit:
            raise PromptTrackError(f"{where}: {key}: {len(value)} characters, at most {limit}")
    if item.get("audience") not in AUDIENCES:
        raise PromptTrackError(f"{where}: audience: must be one of {', '.join(AUDIENCES)}")
    follow_up = item.get("follow_up")
    if follow_up is not None and (not isinstance(follow_up, str) or len(follow_up) > FIELD_LIMIT):
        raise PromptTrackError(f"{where}: follow_up: text of at most {FIELD_LIMIT} characters")
    return Prompt(
        item["id"].strip(), item["theme"].strip(), item["audience"], item["text"].strip(), follow_up
    )
