"""OAuth installs ask for what manifest.yml declares."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from bot.scopes import BOT_SCOPES

MANIFEST = Path(__file__).parents[2] / "manifest.yml"


def manifest() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(MANIFEST.read_text())
    return loaded


def test_oauth_installs_ask_for_exactly_the_manifest_scopes() -> None:
    assert sorted(BOT_SCOPES) == sorted(manifest()["oauth_config"]["scopes"]["bot"])
