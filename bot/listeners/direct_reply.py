"""A private answer for a request that came without a response_url (a forged one, or a view's button)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from slack_bolt import Respond
from slack_sdk import WebClient
from slack_sdk.webhook.webhook_response import WebhookResponse

from bot.slack_refusals import send_dm


class DirectReply(Respond):
    """Answers in the app's DM with the person: what `respond` says when there is nothing to respond to.

    Slack sends a response_url with every command and every button on a message; a request without
    one still gets its answer, privately, instead of a failure after the ack.
    """

    def __init__(self, client: WebClient, user_id: str) -> None:
        super().__init__(response_url=None)
        self._client, self._user_id = client, user_id

    def __call__(
        self,
        text: str | dict[str, Any] = "",
        blocks: Sequence[Any] | None = None,
        attachments: Sequence[Any] | None = None,
        response_type: str | None = None,
        replace_original: bool | None = None,
        delete_original: bool | None = None,
        unfurl_links: bool | None = None,
        unfurl_media: bool | None = None,
        thread_ts: str | None = None,
        metadata: dict[str, Any] | None = None,
    ) -> WebhookResponse:
        if delete_original or not self._user_id:
            return WebhookResponse(url="", status_code=200, body="", headers={})
        words = text if isinstance(text, str) else str(text.get("text", ""))
        send_dm(self._client, self._user_id, words, blocks)
        return WebhookResponse(url="", status_code=200, body="", headers={})
