"""Slack refusing Circles' channels for a whole workspace, and the rounds this process saw it refused in.

Slack answers conversations.create with these codes for something the workspace or the installation
decides, never one circle: a workspace setting that keeps apps from creating channels, a scope the
installation lacks, an organisation's installation not granted the workspace. Every other circle of the
round would be refused alike, so after the first, the round's remaining channels fail without a call
(circles.services.rounds.refused), and the facilitator is told what can be changed
(bot.views.round_problems). A token Slack refuses is not here: the gateway holds the whole workspace then.
"""

from __future__ import annotations

import threading

CREATE = "conversations.create"
# Slack's documented errors of conversations.create that hold for the whole workspace.
CHANNELS_REFUSED = frozenset(
    {
        "restricted_action",  # "A team preference prevents the authenticated user from creating channels."
        "missing_scope",  # the installation lacks groups:write
        "no_permission",  # the workspace's token lacks the permission the call needs
        "team_access_not_granted",  # an organisation's installation not granted this workspace
        "not_allowed_token_type",
        "access_denied",
        "accesslimited",  # the method is limited on the workspace's network
        "enterprise_is_restricted",
    }
)


class RefusedRounds:
    """The rounds whose channels Slack refused for the whole workspace, as this process last looked, so
    that their remaining channels take no turn of Slack's limit; safe to share between worker threads.
    The database has the last word (a round tried again is forgotten here at its next step)."""

    def __init__(self) -> None:
        self._codes: dict[int, str] = {}
        self._lock = threading.Lock()

    def code(self, run_id: int) -> str | None:
        with self._lock:
            return self._codes.get(run_id)

    def note(self, run_id: int, code: str | None) -> None:
        """Remember the round's refusal, or (None) that its channels are asked of Slack again."""
        with self._lock:
            if code is None:
                self._codes.pop(run_id, None)
            else:
                self._codes[run_id] = code
