"""requirements.lock, what tasks.py installs, holds every dependency pyproject.toml pins, at its version."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def pins(lines: list[str]) -> dict[str, str]:
    """Package name (normalised) to version, from `name[extras]==version` lines."""
    found = {}
    for line in lines:
        matched = re.match(r"\s*([A-Za-z0-9_.-]+)(\[[^]]*\])?==([^\s;#]+)", line)
        if matched:
            found[re.sub(r"[-_.]+", "-", matched[1]).lower()] = matched[3]
    return found


def test_every_pin_of_pyproject_is_in_the_lock_at_the_same_version() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = pins([*project["dependencies"], *project["optional-dependencies"]["dev"]])
    locked = pins((ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines())
    assert len(wanted) == len(project["dependencies"]) + len(project["optional-dependencies"]["dev"])
    assert {name: locked.get(name) for name in wanted} == wanted
