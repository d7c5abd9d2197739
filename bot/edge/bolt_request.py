"""Bolt's HTTP request, its form body read by its fields, as the edge read it (`shape.form_fields`).

Bolt's own reader takes any form body with the word "payload" anywhere in it for an interactive payload:
a command whose text says "payload" (or a channel or workspace so named) finds no such field, is read as
nothing, and no listener answers it. Bolt still verifies the raw body's signature itself.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import BoltContext, BoltRequest, BoltResponse
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_bolt.adapter.wsgi.http_request import WsgiHttpRequest
from slack_bolt.request.internals import build_context

from bot.edge.shape import FORM, form_fields, media_type


class FormReadRequest(BoltRequest):
    """A BoltRequest whose form body is read field by field; its copies (for lazy listeners) too."""

    def __init__(
        self,
        *,
        body: str | dict[str, Any],
        query: Any = None,
        headers: Any = None,
        context: dict[str, Any] | None = None,
        mode: str = "http",
    ) -> None:
        super().__init__(body=body, query=query, headers=headers, context=context, mode=mode)
        if mode == "http" and self.raw_body and media_type(self.content_type or "") == FORM:
            self.body = form_fields(self.raw_body)
            self.context = build_context(BoltContext(context or {}), self.body)

    def to_copyable(self) -> BoltRequest:
        return FormReadRequest(
            body=self.raw_body if self.mode == "http" else self.body,
            query=self.query,
            headers=self.headers,
            context=self.context.to_copyable(),
            mode=self.mode,
        )


class SlackEvents(SlackRequestHandler):
    """Bolt's WSGI handler for /slack/events, handing Bolt a `FormReadRequest`."""

    def dispatch(self, request: WsgiHttpRequest) -> BoltResponse:
        read = FormReadRequest(
            body=request.get_body(), query=request.query_string, headers=request.get_headers()
        )
        return self.app.dispatch(read)
