"""The prompt tracks a cohort can choose: one data file each under prompts/tracks/."""

from __future__ import annotations

from pathlib import Path

TRACKS_DIR = Path(__file__).parent / "tracks"
DEFAULT_TRACK = "default"


def track_names(folder: Path = TRACKS_DIR) -> list[str]:
    """Names of the track files present, always including the default track cohorts start with."""
    found = {path.stem for path in folder.glob("*.yml")} if folder.is_dir() else set()
    return sorted(found | {DEFAULT_TRACK})
