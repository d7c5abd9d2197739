"""The Slack gateway: send a claimed outbox row with its workspace's token, and say how it went."""

from bot.gateway.clients import Clients, NoToken, dispatch_client
from bot.gateway.outcomes import Failed, Outcome, RateLimited, Sent, Transient
from bot.gateway.send import OUTBOX_EVENT, Gateway

__all__ = [
    "OUTBOX_EVENT",
    "Clients",
    "Failed",
    "Gateway",
    "NoToken",
    "Outcome",
    "RateLimited",
    "Sent",
    "Transient",
    "dispatch_client",
]
