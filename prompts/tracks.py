"""Prompt tracks as data files under prompts/tracks/, loaded and checked.

One file is one track, holding prompts for every audience: `circle` (weekly, in each circle's
conversation), `pair` (for a partnership's next conversation) and `coach` (a session idea for a coach or
mentor). A cohort chooses a track by its file name; a team adds a track by adding a file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from circles.datafiles import read_named

TRACKS_DIR = Path(__file__).parent / "tracks"
DEFAULT_TRACK = "default"
AUDIENCES = ("circle", "pair", "coach")
NAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")  # fits Cohort.prompt_track
ID_LIMIT = 64
THEME_LIMIT = 80  # the theme is a heading line
FOLLOW_UP_LIMIT = 500
# A Slack section block holds 3,000 characters. The prompt and its follow-up share one, so together they
# stay within 2,600 (counted as Slack counts them, after escaping), leaving room for the heading and the
# few words each message puts around them.
PROMPT_LIMIT = 2600
TRACK_KEYS = {"name", "title", "description", "prompts"}
PROMPT_KEYS = {"id", "theme", "audience", "text", "follow_up"}


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

    def for_audience(self, audience: str) -> tuple[Prompt, ...]:
        """The prompts for one audience, in the file's order."""
        return tuple(p for p in self.prompts if p.audience == audience)

    def first(self, audience: str) -> Prompt | None:
        return next((p for p in self.prompts if p.audience == audience), None)


def track_names(folder: Path = TRACKS_DIR) -> list[str]:
    """Names of the track files present (a team adds a track by adding a file)."""
    found = {path.stem for path in folder.glob("*.yml")} if folder.is_dir() else set()
    return sorted(found | {DEFAULT_TRACK})


def load_track(name: str, folder: Path = TRACKS_DIR) -> Track:
    """Read one track and check every rule; the first broken one raises with its file and prompt."""
    rule = "lowercase letters, digits, - or _ (≤ 64)"
    path, data = read_named(folder, name, NAME_PATTERN, rule, "track", PromptTrackError)
    if not isinstance(data, dict) or not isinstance(data.get("prompts"), list) or not data["prompts"]:
        raise PromptTrackError(f"{path}: expected `name`, `title` and a non-empty list of `prompts`")
    unknown = set(data) - TRACK_KEYS
    if unknown:
        raise PromptTrackError(f"{path}: unknown field(s): {', '.join(sorted(map(str, unknown)))}")
    if data.get("name") != name:
        raise PromptTrackError(f"{path}: name: must be {name!r}, the file's name")
    prompts = [_prompt(path, index, item) for index, item in enumerate(data["prompts"], start=1)]
    seen: set[str] = set()
    for prompt in prompts:
        if prompt.id in seen:
            raise PromptTrackError(f"{path}: prompt {prompt.id}: the id is used twice")
        seen.add(prompt.id)
    if not any(p.audience == "circle" for p in prompts):
        raise PromptTrackError(f"{path}: needs at least one prompt with audience: circle")
    return Track(name, str(data.get("title") or name), tuple(prompts))


@cache
def track(name: str) -> Track:
    """A shipped track, read once per process."""
    return load_track(name)


def load_all(folder: Path = TRACKS_DIR) -> dict[str, Track]:
    """Every track in the folder; the first broken one stops with its file and prompt named."""
    return {name: load_track(name, folder) for name in track_names(folder)}


def slack_length(text: str) -> int:
    """Length as Slack counts it: &, < and > are sent escaped (&amp;, &lt;, &gt;)."""
    return len(text) + 4 * text.count("&") + 3 * (text.count("<") + text.count(">"))


def _prompt(path: Path, index: int, item: Any) -> Prompt:
    named = item.get("id") if isinstance(item, dict) and item.get("id") not in (None, "") else f"#{index}"
    where = f"{path}: prompt {named}"
    if not isinstance(item, dict):
        raise PromptTrackError(f"{where}: expected id, theme, audience and text")
    unknown = set(item) - PROMPT_KEYS
    if unknown:
        raise PromptTrackError(f"{where}: unknown field(s): {', '.join(sorted(map(str, unknown)))}")
    if isinstance(item.get("id"), int) and not isinstance(item.get("id"), bool):
        item = {**item, "id": str(item["id"])}  # `id: 7` is a fine id
    for key, limit in (("id", ID_LIMIT), ("theme", THEME_LIMIT), ("text", PROMPT_LIMIT)):
        value = item.get(key)
        if not isinstance(value, str) or not value.strip():
            raise PromptTrackError(f"{where}: {key}: must be non-empty text")
        if slack_length(value.strip()) > limit:
            raise PromptTrackError(
                f"{where}: {key}: {slack_length(value.strip())} characters, at most {limit}"
            )
    if item.get("audience") not in AUDIENCES:
        raise PromptTrackError(f"{where}: audience: must be one of {', '.join(AUDIENCES)}")
    follow_up = item.get("follow_up")
    if follow_up is not None and not isinstance(follow_up, str):
        raise PromptTrackError(f"{where}: follow_up: must be text")
    follow_up = follow_up.strip() if follow_up and follow_up.strip() else None
    text = item["text"].strip()
    if follow_up is not None:
        if slack_length(follow_up) > FOLLOW_UP_LIMIT:
            raise PromptTrackError(
                f"{where}: follow_up: {slack_length(follow_up)} characters, at most {FOLLOW_UP_LIMIT}"
            )
        if slack_length(text) + slack_length(follow_up) > PROMPT_LIMIT:
            raise PromptTrackError(
                f"{where}: text and follow_up together: "
                f"{slack_length(text) + slack_length(follow_up)} characters, at most {PROMPT_LIMIT}"
            )
    return Prompt(item["id"].strip(), item["theme"].strip(), item["audience"], text, follow_up)
