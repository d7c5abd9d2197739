"""What a dispatch pass did, for `circles tick` to print and the scheduler to log."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field


@dataclass
class DispatchSummary:
    """Counts of one pass; `errors` says why rows failed or were put back."""

    claimed: int = 0
    sent: int = 0
    deduplicated: int = 0  # found already posted by an earlier attempt, so recorded without posting
    failed: int = 0
    unbuildable: int = 0  # of the failed: the message could not be built, so nothing was sent
    retried: int = 0  # put back in the outbox to try in a later pass
    released: int = 0  # claimed but not tried before the pass ended; they do not count as attempts
    dropped: int = 0  # claimed, then superseded or no longer true when their turn came: never posted
    rate_limited: int = 0  # 429 answers honoured
    seconds: float = 0.0
    errors: Counter[str] = field(default_factory=Counter)

    def __str__(self) -> str:
        parts = [f"sent {self.sent}"]
        if self.deduplicated:
            parts.append(f"already posted {self.deduplicated}")
        parts.append(f"failed {self.failed}")
        parts.append(f"to retry {self.retried + self.released}")
        if self.dropped:
            parts.append(f"no longer to send {self.dropped}")
        if self.rate_limited:
            parts.append(f"rate limited {self.rate_limited}×")
        text = ", ".join(parts) + f" in {self.seconds:.1f} s"
        if self.errors:
            text += " (" + ", ".join(f"{code} ×{n}" for code, n in self.errors.most_common()) + ")"
        return text
