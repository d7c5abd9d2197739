"""A local stand-in for Slack: its Web API (SlackStandIn) and the signed requests it sends apps (Signer)."""

from .calls import Call
from .server import SlackStandIn
from .slack_requests import SignedRequest, Signer, post
from .state import Channel, Team, UploadedFile, User

__all__ = [
    "Call",
    "Channel",
    "SignedRequest",
    "Signer",
    "SlackStandIn",
    "Team",
    "UploadedFile",
    "User",
    "post",
]
