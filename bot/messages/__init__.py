"""Renderers of the outbox's typed messages: each turns one kind of payload into what Slack receives.

Services record *what* to say (a typed payload from circles.messages, stored as its template name and
plain arguments); the dispatcher reads the row back and renders it here at send time, so the product
never builds Block Kit and a wording change reaches messages already waiting. Every kind has exactly one
renderer, and mypy checks each against the payload type its producers build.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from bot.views.message import Message
from circles.messages import MalformedPayload, Payload, UnknownTemplate, parse

__all__ = ["MalformedPayload", "UnknownTemplate", "registered", "render", "render_payload", "renders"]

P = TypeVar("P", bound=Payload)

_RENDERERS: dict[type[Payload], Callable[[Any], Message]] = {}
TEMPLATE_MODULES = (  # one line per module of renderers
    "plain",
    "partnerships",
    "nudges",
    "prompts",
    "checkin",
    "support",
    "escalation",
    "care",
    "availability",
    "surveys",
    "workflow_steps",
    "welcome",
    "circles",
)


def renders(kind: type[P]) -> Callable[[Callable[[P], Message]], Callable[[P], Message]]:
    """Register the renderer of one kind of payload."""

    def register(renderer: Callable[[P], Message]) -> Callable[[P], Message]:
        if kind in _RENDERERS:
            raise ValueError(f"{kind.__name__} has two renderers")
        _RENDERERS[kind] = renderer
        return renderer

    return register


def render(template: str, args: Mapping[str, Any]) -> Message:
    """A stored row's message: its arguments read into their payload first (UnknownTemplate or
    MalformedPayload when they do not make one), then rendered."""
    return render_payload(parse(template, args))


def render_payload(payload: Payload) -> Message:
    _load()
    try:
        renderer = _RENDERERS[type(payload)]
    except KeyError:
        raise UnknownTemplate(payload.TEMPLATE) from None
    return renderer(payload)


def registered() -> frozenset[type[Payload]]:
    """Every kind of payload that has a renderer."""
    _load()
    return frozenset(_RENDERERS)


def _load() -> None:
    # Importing a module registers its renderers (once: imports are cached).
    for module in TEMPLATE_MODULES:
        importlib.import_module(f"bot.messages.{module}")
