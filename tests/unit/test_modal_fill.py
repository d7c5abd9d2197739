"""A modal opened at once and filled after: whatever happens while filling, it never stays "One moment…"."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, cast

import pytest
from slack_sdk.models.views import View

from bot.listeners.incoming import Incoming
from bot.listeners.modals import open_then_fill
from bot.views.directory.requests import notice_modal, say
from circles.errors import NotAFacilitator


@dataclass
class FakeSlack:
    """Records the modals opened and the updates made to them."""

    updates: list[dict[str, Any]] = field(default_factory=list)

    def views_open(self, *, trigger_id: str, view: View) -> dict[str, Any]:
        return {"ok": True, "view": {"id": "V0LOADING", "hash": "h1"}}

    def views_update(self, *, view_id: str, view: View, hash: str | None = None) -> dict[str, Any]:
        self.updates.append({"view_id": view_id, "view": view.to_dict()})
        return {"ok": True}


@dataclass
class Asked:
    client: FakeSlack
    body: dict[str, Any] = field(default_factory=lambda: {"type": "block_actions", "trigger_id": "t1"})


def shown(slack: FakeSlack) -> str:
    [update] = slack.updates
    assert update["view_id"] == "V0LOADING"
    return str(update["view"])


def test_a_filled_modal_replaces_the_one_moment_modal() -> None:
    slack = FakeSlack()
    open_then_fill(cast(Incoming, Asked(slack)), "Board", lambda: notice_modal(say("MARKER-board")))
    assert "MARKER-board" in shown(slack)


def test_a_refusal_while_filling_is_said_on_the_modal() -> None:
    slack = FakeSlack()

    def refuse() -> View:
        raise NotAFacilitator("pgy1")

    open_then_fill(cast(Incoming, Asked(slack)), "Board", refuse)
    assert "pgy1" in shown(slack)


def test_a_fault_while_filling_is_said_on_the_modal_and_logged_with_its_traceback(
    caplog: pytest.LogCaptureFixture,
) -> None:
    slack = FakeSlack()

    def break_down() -> View:
        raise RuntimeError("MARKER-internal-detail")

    open_then_fill(cast(Incoming, Asked(slack)), "Board", break_down)
    on_modal = shown(slack)
    assert "One moment" not in on_modal
    assert "went wrong" in on_modal
    assert "MARKER-internal-detail" not in on_modal
    [logged] = [r for r in caplog.records if r.exc_info]
    assert "block_actions" in logged.getMessage()
