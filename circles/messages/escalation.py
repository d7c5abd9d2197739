"""The private alert about one partnership: who, why, the trend, what partners shared, where it stands; and
the copy of it someone no longer facilitating the cohort keeps, with nothing of the pair."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, ClassVar, Self

from circles.domain.escalations import Outcome
from circles.domain.vocabulary import (
    EscalationStatus,
    PartnershipHealthState,
    PartnershipKind,
    PartnershipStatus,
)
from circles.messages.base import Fields, MalformedPayload, Payload, as_day
from circles.messages.flat import FlatPayload


@dataclass(frozen=True)
class TrendPoint:
    """The partnership's health from a day on."""

    day: date
    state: PartnershipHealthState

    @classmethod
    def from_stored(cls, point: object, where: str = "escalation.trend") -> Self:
        """From the [ISO date, state] pair the escalation keeps."""
        refused = MalformedPayload(f"{where}: expected [ISO date, health state]")
        states = {state.value for state in PartnershipHealthState}
        if not (isinstance(point, list | tuple) and len(point) == 2 and point[1] in states):
            raise refused
        return cls(as_day(point[0], refused), PartnershipHealthState(point[1]))


@dataclass(frozen=True)
class SharedNote:
    """A note a partner chose to share with the cohort's facilitators, decrypted."""

    author: str  # UNNAMED once erased
    at: datetime
    text: str


@dataclass(frozen=True)
class Claim:
    """Who said they would reach out, and since when."""

    by: str
    at: datetime | None = None


@dataclass(frozen=True)
class Snooze:
    """Who last put the alert to sleep, and until when."""

    by: str | None = None
    until: datetime | None = None


@dataclass(frozen=True)
class Resolution:
    """How the alert ended: by whom, when, the outcome and their comment."""

    by: str | None = None
    at: datetime | None = None
    outcome: Outcome | None = None
    comment: str = ""


@dataclass(frozen=True)
class EscalationCard(Payload):
    """Everything one copy of the alert shows; the same card redraws every copy the same way."""

    TEMPLATE: ClassVar[str] = "escalation"
    PRIVATE: ClassVar[bool] = True
    URGENT: ClassVar[bool] = True

    escalation_id: int
    cohort_name: str
    slug: str
    kind: PartnershipKind | None  # None: not recorded, shown as "partners"
    first: str  # UNNAMED once erased since the pair began: shown as an erased member
    second: str
    partnership_status: PartnershipStatus | None
    state: PartnershipHealthState | None
    reasons: tuple[str, ...] = ()
    trend: tuple[TrendPoint, ...] = ()  # oldest first
    notes: tuple[SharedNote, ...] = ()  # for facilitators only, while it is unresolved
    notes_unavailable: int = 0  # shared notes that did not open (the notes key changed): shown as such
    status: EscalationStatus = EscalationStatus.OPEN
    claim: Claim | None = None
    snooze: Snooze | None = None
    resolution: Resolution | None = None
    occasion: str = ""  # opened, reminderN, backN, releasedN, freedN, adminsN or update
    for_admins: bool = False  # an admin's copy: the reasons, never the partners' notes

    def to_args(self) -> dict[str, Any]:
        claim, snooze, resolution = self.claim, self.snooze or Snooze(), self.resolution or Resolution()
        # Only when there are any, so a card with every note readable keeps the shape it always had.
        unavailable = {"notes_unavailable": self.notes_unavailable} if self.notes_unavailable else {}
        return {
            "escalation_id": self.escalation_id,
            "occasion": self.occasion,
            "for_admins": self.for_admins,
            "cohort_name": self.cohort_name,
            "slug": self.slug,
            "kind": self.kind.value if self.kind else None,
            "first": self.first,
            "second": self.second,
            "partnership_status": self.partnership_status.value if self.partnership_status else None,
            "state": self.state.value if self.state else "",
            "reasons": list(self.reasons),
            "trend": [[point.day.isoformat(), point.state.value] for point in self.trend],
            "notes": [{"author": n.author, "at": n.at.isoformat(), "text": n.text} for n in self.notes],
            **unavailable,
            "status": self.status.value,
            "claimed_by": claim.by if claim else None,
            "claimed_at": _iso(claim.at if claim else None),
            "snoozed_until": _iso(snooze.until),
            "snoozed_by": snooze.by,
            "resolved_at": _iso(resolution.at),
            "resolved_by": resolution.by,
            "outcome": resolution.outcome.value if resolution.outcome else None,
            "comment": resolution.comment,
        }

    @classmethod
    def from_args(cls, args: object) -> Self:
        """Arguments missing from a row read as nothing recorded; only the pair and the id are required."""
        f = Fields(cls.TEMPLATE, args)
        claimed_by, claimed_at = f.optional_text("claimed_by"), f.moment("claimed_at")
        snooze = Snooze(f.optional_text("snoozed_by"), f.moment("snoozed_until"))
        resolution = Resolution(
            f.optional_text("resolved_by"),
            f.moment("resolved_at"),
            f.optional_choice("outcome", Outcome),
            f.text("comment", default=""),
        )
        return cls(
            escalation_id=f.integer("escalation_id"),
            cohort_name=f.text("cohort_name", default=""),
            slug=f.text("slug", default=""),
            kind=f.optional_choice("kind", PartnershipKind),
            first=f.text("first"),
            second=f.text("second"),
            partnership_status=f.optional_choice("partnership_status", PartnershipStatus),
            state=f.optional_choice("state", PartnershipHealthState),
            reasons=f.texts("reasons"),
            trend=tuple(
                TrendPoint.from_stored(p, f"escalation.trend[{n}]") for n, p in enumerate(f.items("trend"))
            ),
            notes=tuple(_note(note) for note in f.objects("notes")),
            notes_unavailable=f.integer("notes_unavailable", default=0),
            status=f.optional_choice("status", EscalationStatus) or EscalationStatus.OPEN,
            claim=Claim(claimed_by, claimed_at) if claimed_by else None,
            snooze=snooze if snooze != Snooze() else None,
            resolution=resolution if resolution != Resolution() else None,
            occasion=f.text("occasion", default=""),
            for_admins=f.flag("for_admins"),
        )


@dataclass(frozen=True)
class EscalationWithdrawn(FlatPayload):
    """A copy of an alert whose reader no longer facilitates its cohort (or is one of the pair), redrawn in
    place: the cohort's name only, nothing of the pair, its health, reasons or notes."""

    TEMPLATE: ClassVar[str] = "escalation_withdrawn"

    cohort_name: str


def _note(fields: Fields) -> SharedNote:
    at = fields.moment("at")
    if at is None:
        raise MalformedPayload("escalation.notes: a note without its date")
    return SharedNote(fields.text("author"), at, fields.text("text"))


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None
