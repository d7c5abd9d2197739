"""What escalation cards show (the pair, its audit trail, its shared notes), read for any number of
escalations in a fixed number of queries."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from circles.persistence.models import CheckIn, Cohort, EscalationEvent, Member, Partnership
from circles.queries.aliases import FIRST_PARTNER, SECOND_PARTNER
from circles.queries.checkins import StoredNote
from circles.queries.ids import chunks
from circles.queries.members.erased import shown_erased
from circles.queries.partnerships.ever import kept_from_pairs

# Whether each partner was erased since their pair began: built once, as the aliases are (`aliases.py`).
PARTNERS_ERASED = (
    shown_erased(FIRST_PARTNER, Partnership.started_at),
    shown_erased(SECOND_PARTNER, Partnership.started_at),
)


@dataclass(frozen=True)
class CardPair:
    """An escalation's partnership, its cohort, and its two partners' Slack user IDs."""

    partnership: Partnership
    cohort: Cohort
    first_user_id: str
    second_user_id: str
    erased: frozenset[str] = frozenset()  # the partners erased since the pair began: not to be named

    @property
    def partners(self) -> frozenset[str]:
        return frozenset((self.first_user_id, self.second_user_id))


def card_pairs(session: Session, partnership_ids: Collection[int]) -> dict[int, CardPair]:
    """These partnerships with their cohorts and partners (and which of them were erased since), by
    partnership id."""
    first, second = FIRST_PARTNER, SECOND_PARTNER
    found: dict[int, CardPair] = {}
    for chunk in chunks(sorted(set(partnership_ids))):
        rows = session.execute(
            select(Partnership, Cohort, first.slack_user_id, second.slack_user_id, *PARTNERS_ERASED)
            .join(Cohort, Cohort.id == Partnership.cohort_id)
            .join(first, first.id == Partnership.first_member_id)
            .join(second, second.id == Partnership.second_member_id)
            .where(Partnership.id.in_(chunk))
        )
        for pair, cohort, one, other, one_erased, other_erased in rows:
            erased = frozenset(user for user, gone in ((one, one_erased), (other, other_erased)) if gone)
            found[pair.id] = CardPair(pair, cohort, one, other, erased)
    return found


def kept_from(session: Session, pairs: Mapping[int, CardPair]) -> dict[int, frozenset[str]]:
    """Who never hears of each pair's alert, by partnership id: its partners, and everyone either of them
    was ever paired with, in any cohort (what the alert says of a support request or a note is theirs to
    keep from a former partner, as the request itself is: `kept_from_pairs`)."""
    return kept_from_pairs(
        session, {id_: (p.partnership.workspace_id, p.partners) for id_, p in pairs.items()}
    )


def latest_events_by_action(
    session: Session, escalation_ids: Collection[int]
) -> dict[int, dict[str, EscalationEvent]]:
    """Each escalation's latest audit event of each action, by escalation id."""
    found: dict[int, dict[str, EscalationEvent]] = {}
    for chunk in chunks(sorted(set(escalation_ids))):
        events = session.scalars(
            select(EscalationEvent)
            .where(EscalationEvent.escalation_id.in_(chunk))
            .order_by(EscalationEvent.escalation_id, EscalationEvent.at, EscalationEvent.id)
        )
        for event in events:
            found.setdefault(event.escalation_id, {})[event.action] = event
    return found


def latest_shared_notes(
    session: Session, partnership_ids: Collection[int], limit: int
) -> dict[int, list[StoredNote]]:
    """Each partnership's latest `limit` notes whose authors shared them, newest first, in one query per
    CHUNK of pairs; unshared ones never. A pair without any is left out."""
    when = func.coalesce(CheckIn.answered_at, CheckIn.due_at)
    newest_first = func.row_number().over(
        partition_by=CheckIn.partnership_id, order_by=(when.desc(), CheckIn.id.desc())
    )
    found: dict[int, list[StoredNote]] = {}
    for chunk in chunks(sorted(set(partnership_ids))):
        ranked = (
            select(
                CheckIn.partnership_id,
                CheckIn.note_encrypted,
                when.label("at"),
                Member.slack_user_id,
                newest_first.label("position"),
            )
            .join(Member, (Member.id == CheckIn.member_id) & (Member.workspace_id == CheckIn.workspace_id))
            .where(
                CheckIn.partnership_id.in_(chunk),
                CheckIn.note_shared.is_(True),
                CheckIn.note_encrypted.is_not(None),
            )
            .subquery()
        )
        rows = session.execute(
            select(ranked.c.partnership_id, ranked.c.note_encrypted, ranked.c.at, ranked.c.slack_user_id)
            .where(ranked.c.position <= limit)
            .order_by(ranked.c.partnership_id, ranked.c.position)
        )
        for pair, token, at, author in rows:
            if token:
                found.setdefault(pair, []).append(StoredNote(author, at, token))
    return found
