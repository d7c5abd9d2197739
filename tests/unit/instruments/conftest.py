"""A small valid instrument file that each test breaks in one place."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

Write = Callable[..., Path]


def valid() -> dict[str, Any]:
    """Two reverse-free items and one reversed, on one 1..4 scale, in one subscale, plus free text."""
    return {
        "name": "trial",
        "title": "Trial",
        "description": "A trial instrument.",
        "version": 1,
        "scales": [{"id": "four", "min": 1, "max": 4, "labels": ["No", "Rather not", "Rather yes", "Yes"]}],
        "items": [
            {"id": "a", "text": "First?", "scale": "four", "subscale": "main"},
            {"id": "b", "text": "Second?", "scale": "four", "subscale": "main"},
            {"id": "c", "text": "Third, reversed?", "scale": "four", "reverse": True, "subscale": "main"},
            {"id": "note", "text": "Anything to add?", "scale": "text"},
        ],
        "subscales": [{"id": "main", "title": "Main", "items": ["a", "b", "c"], "min_answered": 2}],
    }


@pytest.fixture
def write(tmp_path: Path) -> Write:
    """Write an instrument file (the valid one, changed by `change`) and return its folder."""

    def _write(change: Callable[[dict[str, Any]], object] | None = None, name: str = "trial") -> Path:
        data = valid()
        if change is not None:
            change(data)
        (tmp_path / f"{name}.yml").write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
        return tmp_path

    return _write
