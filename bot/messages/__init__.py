"""Outbox templates: each turns a recorded message's arguments into what Slack receives.

Services record *what* to say (a template name and plain arguments, see circles.services.outbox); the
dispatcher renders it here at send time, so the product never builds Block Kit and a wording change
reaches messages already waiting.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from bot.views.message import Message

Renderer = Callable[[dict[str, Any]], Message]

_RENDERERS: dict[str, Renderer] = {}
TEMPLATE_MODULES = (  # one line per module of renderers
    "plain",
    "partnerships",
    "nudges",
    "prompts",
    "checkin",
    "support",
    "escalation",
    "care",
)


class UnknownTemplate(KeyError):
    """An outbox row names a template this version of the app does not know."""


def template(name: str) -> Callable[[Renderer], Renderer]:
    """Register a renderer under a template name."""

    def register(renderer: Renderer) -> Renderer:
        if name in _RENDERERS:
            raise ValueError(f"outbox template {name!r} is registered twice")
        _RENDERERS[name] = renderer
        return renderer

    return register


def render(name: str, args: dict[str, Any]) -> Message:
    _load()
    try:
        renderer = _RENDERERS[name]
    except KeyError:
        raise UnknownTemplate(name) from None
    return renderer(args)


def _load() -> None:
    # Importing a module registers its templates (once: imports are cached).
    for module in TEMPLATE_MODULES:
        importlib.import_module(f"bot.messages.{module}")
