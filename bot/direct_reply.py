"""A private answer that always reaches the person: by the request's response_url, or else in their DM."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from slack_bolt import Respond
from slack_sdk import WebClient
from slack_sdk.webhook.webhook_response import WebhookResponse

from bot.edge.response_url import slacks_own
from bot.slack_refusals import send_dm

logger = logging.getLogger(__name__)


class DirectReply(Respond):
    """What `respond` is for the work after an ack: the response_url first, the app's DM with the person
    when there is none (a forged request, or a button on a view) or when it fails (expired, or Slack
    erring). Either way the person hears how their request ended. A response_url that is not Slack's
    (`slacks_own`, given SLACK_API_URL) counts as none.
    """

    def __init__(self, client: WebClient, user_id: str, response_url: object, slack_api_url: str) -> None:
        super().__init__(response_url=slacks_own(response_url, slack_api_url))
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
        if self.response_url:
            answered = self._by_response_url(
                text,
                blocks=blocks,
                response_type=response_type,
                replace_original=replace_original,
                delete_original=delete_original,
            )
            if answered is not None:
                return answered
        if delete_original or not self._user_id:
            return WebhookResponse(url="", status_code=200, body="", headers={})
        words = text if isinstance(text, str) else str(text.get("text", ""))
        send_dm(self._client, self._user_id, words, blocks)
        return WebhookResponse(url="", status_code=200, body="", headers={})

    def _by_response_url(self, text: str | dict[str, Any], **message: Any) -> WebhookResponse | None:
        """Slack's answer to the response_url; None when it failed and the DM should carry the answer."""
        try:
            answered = super().__call__(text, **message)
        except OSError as error:  # unreachable or timed out
            logger.warning("a response_url was not reached (%s): answering in the DM", type(error).__name__)
            return None
        if answered.status_code >= 400:  # expired (404), used up, or Slack erring
            logger.warning("a response_url answered %s: answering in the DM", answered.status_code)
            return None
        return answered
