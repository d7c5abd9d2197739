"""Space out calls to Slack methods so a large round or a fan-out stays within their rate limits."""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

# Seconds between calls: Tier 2 (20/min) for conversations.create, Tier 3 (50/min) for the rest.
SLACK_INTERVALS = {
    "conversations.create": 3.0,
    "conversations.invite": 1.2,
    "conversations.open": 1.2,
    "conversations.list": 3.0,
    "chat.postMessage": 1.0,  # each kickoff goes to its own conversation; this caps the workspace
}

# Slack's tiers, in calls per minute per method and workspace (api.slack.com/apis/rate-limits).
TIER_2, TIER_3, TIER_4 = 20.0, 50.0, 100.0
# chat.postMessage has its own rule: about one message a second in a conversation, and "several
# hundred a minute" in a workspace. Past it Slack does not always answer 429: bursts may be stored
# but not shown. So the dispatcher takes the low end of "several hundred".
POST_MESSAGE_PER_WORKSPACE = 300.0
POST_MESSAGE_PER_CHANNEL = 60.0

Slot = tuple[str, float]  # a key and the seconds that must pass between two calls on it


@dataclass(frozen=True)
class SlackLimits:
    """Calls per minute per method in a workspace, and per method in one conversation."""

    per_workspace: Mapping[str, float]
    per_channel: Mapping[str, float] = field(default_factory=dict)
    unlisted: float = TIER_2  # a method missing from the table gets the cautious tier
    # Stay this fraction below each rate: our clock and Slack's see the same calls a few ms apart.
    headroom: float = 0.05

    def slots(self, team_id: str, method: str, channel: str | None = None) -> list[Slot]:
        """The turns a call of method (into channel) must take: the workspace's, then the conversation's."""
        slots = [(f"{team_id}:{method}", self.seconds_between(method))]
        if channel is not None and method in self.per_channel:
            slots.append((f"{team_id}:{method}:{channel}", self._interval(self.per_channel[method])))
        return slots

    def seconds_between(self, method: str) -> float:
        """How long the dispatcher keeps between two calls of method in a workspace."""
        return self._interval(self.per_workspace.get(method, self.unlisted))

    def _interval(self, per_minute: float) -> float:
        return 0.0 if math.isinf(per_minute) else 60.0 / per_minute * (1 + self.headroom)

    @classmethod
    def none(cls) -> SlackLimits:
        """No pacing: for tests whose stand-in enforces the limits it is given."""
        return cls({}, {}, unlisted=math.inf)


SLACK_LIMITS = SlackLimits(
    per_workspace={
        "chat.postMessage": POST_MESSAGE_PER_WORKSPACE,
        "chat.update": TIER_3,
        "views.publish": TIER_4,
        "conversations.open": TIER_3,
        "conversations.history": TIER_3,
        "conversations.invite": TIER_3,  # a round's invitations; conversations.create is Tier 2
        "conversations.kick": TIER_3,  # someone who left taken out of their circles' channels
        "dnd.teamInfo": TIER_2,  # Do Not Disturb of up to 50 people, before their messages are claimed
    },
    per_channel={"chat.postMessage": POST_MESSAGE_PER_CHANNEL},
)


class Pacer:
    """Waits before a call until the method's interval since its last call has passed.

    Besides waiting, a caller with other work to do can `reserve` turns without waiting, and `hold`
    a key shut for as long as Slack's Retry-After says.
    """

    def __init__(
        self,
        intervals: dict[str, float] | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._intervals = SLACK_INTERVALS if intervals is None else intervals
        self.clock, self.sleep = clock, sleep
        self._free_at: dict[str, float] = {}  # when each key may be called next
        self._lock = threading.Lock()

    def wait(self, method: str) -> None:
        interval = self._intervals.get(method, 0.0)
        with self._lock:
            now = self.clock()
            start = max(now, self._free_at.get(method, -math.inf))
            self._free_at[method] = start + interval
        if start > now:
            self.sleep(start - now)

    def reserve(self, slots: Sequence[Slot]) -> float:
        """Take a turn on every slot now and return 0, or none and return the seconds until all are free."""
        with self._lock:
            now = self.clock()
            free_at = max((self._free_at.get(key, -math.inf) for key, _ in slots), default=-math.inf)
            if free_at > now:
                return free_at - now
            for key, interval in slots:
                self._free_at[key] = now + interval
            return 0.0

    def opens_in(self, key: str) -> float:
        """Seconds until key may be called again (0 when it may now), taking no turn."""
        with self._lock:
            return max(0.0, self._free_at.get(key, -math.inf) - self.clock())

    def hold(self, key: str, seconds: float) -> None:
        """Keep key shut for seconds from now (Slack's Retry-After), unless it already is for longer."""
        with self._lock:
            until = self.clock() + seconds
            self._free_at[key] = max(self._free_at.get(key, -math.inf), until)

    @classmethod
    def unpaced(cls) -> Pacer:
        """For tests against the stand-in, which enforces whatever limits a test sets."""
        return cls({})
