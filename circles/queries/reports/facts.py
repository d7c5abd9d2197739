"""What a report is computed from: plain rows read set-based from cohorts, nothing identifying."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, NamedTuple

from circles.domain.health.paused import paused_at
from circles.domain.vocabulary import (
    EndReason,
    MemberStatus,
    OutboxStatus,
    PartnershipHealthState,
    PartnershipKind,
    PartnershipStatus,
    Role,
)

ACTIVE, LEFT = MemberStatus.ACTIVE, MemberStatus.LEFT


class MemberFact(NamedTuple):
    role: Role
    status: MemberStatus
    joined_at: datetime  # the latest time they joined
    left_at: datetime | None
    earlier_stints: list[list[str]] | None = None  # [joined, left] of each time before, as stored
    pauses: Any = None  # their pauses as [from, until] spans, as stored (None: not kept)
    paused_until: datetime | None = None  # the running pause's date, if it has one

    def joins(self) -> list[datetime]:
        """Every time they joined the cohort, the latest last."""
        return [*(_instant(joined) for joined, _ in self.earlier_stints or []), self.joined_at]

    def leaves(self) -> list[datetime]:
        """Every time they left it, the latest last (none while they are in it)."""
        latest = [] if self.left_at is None else [self.left_at]
        return [*(_instant(left) for _, left in self.earlier_stints or []), *latest]

    def as_of(self, until: datetime) -> MemberFact | None:
        """The member as they stood at `until`, or None if they had not joined by then: a leave, a return, a
        pause or a resume after it has not happened yet, so one who left later was still in, one who came back
        later still out, one who paused later active and one who resumed later paused.
        """
        stints: list[tuple[datetime, datetime | None]] = [
            *((_instant(joined), _instant(left)) for joined, left in self.earlier_stints or []),
            (self.joined_at, self.left_at),
        ]
        begun = sum(1 for joined, _ in stints if joined <= until)
        if begun == 0:
            return None
        joined, left = stints[begun - 1]
        if begun == len(stints) and (left is None or left <= until):
            then = self
        else:
            # Left after `until`: in the cohort then (paused or not, as their pauses tell); else out.
            status, left = (ACTIVE, None) if left is not None and left > until else (LEFT, left)
            earlier = (self.earlier_stints or [])[: begun - 1]
            then = self._replace(status=status, joined_at=joined, left_at=left, earlier_stints=earlier)
        return then if then.status is LEFT else then._replace(status=self._status_at(until, then.status))

    def _status_at(self, until: datetime, known: MemberStatus) -> MemberStatus:
        """Active or paused at `until`, by the pauses kept (`known` when none are): a pause still open ends
        at its date, or at a leave after it began."""
        dated = [] if self.paused_until is None else [self.paused_until]
        held = paused_at(
            self.pauses, until, running=self.status is MemberStatus.PAUSED, ends=[*dated, *self.leaves()]
        )
        return known if held is None else MemberStatus.PAUSED if held else ACTIVE


class CheckInFact(NamedTuple):
    partnership_id: int
    member_id: int
    due_at: datetime  # the occurrence: reports count it in this week
    answered_at: datetime | None
    rating: int | None
    asked_at: datetime | None = None  # when its question went (later than due when held for the person)

    def asked_by(self, now: datetime) -> bool:
        """Whether it counts as due at `now`: its question went (one held for someone away, or for their
        hours, is not due yet, as health has it), or it was answered."""
        answered = self.answered_at is not None and self.answered_at <= now
        return answered or (self.asked_at or self.due_at) <= now


class PartnershipFact(NamedTuple):
    id: int
    kind: PartnershipKind
    status: PartnershipStatus
    end_reason: EndReason | None
    started_at: datetime
    ended_at: datetime | None
    first_member_id: int
    second_member_id: int


class HealthFact(NamedTuple):
    """One stored change of a partnership's health: from then on it was in `state`. Reports and the
    research export read it."""

    partnership_id: int
    computed_at: datetime
    state: PartnershipHealthState
    reasons: tuple[str, ...] = ()  # the reasons' words, for a report's individual rows only


class EscalationFact(NamedTuple):
    opened_at: datetime
    claimed_at: datetime | None
    resolved_at: datetime | None


class SharedNote(NamedTuple):
    """A check-in note its author chose to share with facilitators, still sealed."""

    partnership_id: int
    at: datetime  # when it was answered (or fell due)
    member_id: int  # its author
    sealed: bytes


class CircleFact(NamedTuple):
    """One circle, with its members counted by their status then and its due prompts by how they went."""

    name: str
    round: int
    created_at: datetime
    dissolved_at: datetime | None
    members: Mapping[MemberStatus, int]
    prompts: Mapping[OutboxStatus, int]
    active_members: frozenset[int] = frozenset()  # who of them was active then: to count each person once


def _instant(stored: str) -> datetime:
    """An instant kept as ISO text in a JSON column, in UTC."""
    found = datetime.fromisoformat(stored)
    return found if found.tzinfo is not None else found.replace(tzinfo=UTC)
