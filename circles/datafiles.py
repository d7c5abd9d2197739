"""Data files kept beside the code (prompt tracks, role texts, instruments): read one, or fail naming it."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml


def read_yaml(path: Path, error: type[Exception], missing: str) -> Any:
    """The file's YAML; a missing file or broken YAML raises `error` with the file's path first."""
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise error(f"{path}: {missing}") from None
    except yaml.YAMLError as problem:
        raise error(f"{path}: not valid YAML: {problem}") from None


def read_named(
    folder: Path, name: str, pattern: re.Pattern[str], rule: str, kind: str, error: type[Exception]
) -> tuple[Path, Any]:
    """One catalogue entry by name: a name breaking `pattern` fails with `rule` before any file is read."""
    path = folder / f"{name}.yml"
    if not pattern.match(name):
        raise error(f"{path}: the file name must be {rule}")
    return path, read_yaml(path, error, f"no such {kind}")
