"""Questions the pass asks to tell partners of imported away blocks: which blocks are due a notice (an
indexed read of their due time), the people's blocks (held by the pass), their running partners, and what
was told."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session

from circles.domain.availability.absence import BLOCKS, AbsenceKind
from circles.domain.availability.told import PAIRS_TOLD
from circles.domain.presence import taking_part
from circles.domain.vocabulary import MemberStatus
from circles.persistence.models import AwayBlock, Partnership
from circles.queries.aliases import OTHER_PARTNER, THIS_MEMBER
from circles.queries.availability import Person
from circles.queries.ids import chunks


@dataclass(frozen=True)
class DueBlock:
    id: int
    workspace_id: int
    user_id: str
    starts_at: datetime


@dataclass(frozen=True)
class StoredBlock:
    id: int
    starts_at: datetime
    ends_at: datetime
    kind: AbsenceKind
    created_by: str
    told_back_at: datetime | None


def take_due_blocks(session: Session, now: datetime, limit: int) -> list[DueBlock]:
    """Blocks whose partners are due a notice by `now` (at most `limit`); on PostgreSQL held by this pass,
    skipping those another pass holds."""
    rows = session.execute(
        select(AwayBlock.id, AwayBlock.workspace_id, AwayBlock.slack_user_id, AwayBlock.starts_at)
        .where(AwayBlock.notice_due_at <= now)
        .order_by(AwayBlock.notice_due_at)
        .limit(limit)
        .with_for_update(skip_locked=True, key_share=True)
    )
    return [DueBlock(*row) for row in rows]


def blocks_of(
    session: Session, people: Collection[Person], since: datetime
) -> dict[Person, list[StoredBlock]]:
    """The away, rotation and leave blocks of these people not over before `since`, earliest first."""
    wanted = set(people)
    found: dict[Person, list[StoredBlock]] = {}
    if not wanted:
        return found
    rows = session.execute(
        select(
            AwayBlock.workspace_id,
            AwayBlock.slack_user_id,
            AwayBlock.id,
            AwayBlock.starts_at,
            AwayBlock.ends_at,
            AwayBlock.kind,
            AwayBlock.created_by,
            AwayBlock.told_back_at,
        )
        .where(
            AwayBlock.workspace_id.in_({w for w, _ in wanted}),
            AwayBlock.slack_user_id.in_({u for _, u in wanted}),
            AwayBlock.kind.in_(BLOCKS),
            AwayBlock.ends_at >= since,
        )
        .order_by(AwayBlock.starts_at, AwayBlock.id)
    )
    for workspace_id, user_id, block_id, starts_at, ends_at, kind, created_by, told_back_at in rows:
        if (workspace_id, user_id) in wanted:
            block = StoredBlock(block_id, starts_at, ends_at, AbsenceKind(kind), created_by, told_back_at)
            found.setdefault((workspace_id, user_id), []).append(block)
    return found


def hold_blocks(session: Session, ids: Sequence[int]) -> set[int]:
    """Of these blocks, those this pass now holds (on PostgreSQL: not held by another pass, or by a person's
    own `/circles away` or `back` being saved); on SQLite, every one."""
    held: set[int] = set()
    for chunk in chunks(sorted(ids)):
        held.update(
            session.scalars(
                select(AwayBlock.id)
                .where(AwayBlock.id.in_(chunk))
                .order_by(AwayBlock.id)
                .with_for_update(skip_locked=True, key_share=True)
            )
        )
    return held


def active_partners(
    session: Session, people: Collection[Person], now: datetime
) -> dict[Person, dict[str, bool]]:
    """Each person's partners (Slack user IDs) in the partnerships told of their absence (active ones), in any
    cohort of theirs, each with whether the person takes part (not paused) in a cohort they share at `now`:
    only those partners hear that the person is back, as a pause still holds their check-ins elsewhere."""
    wanted = set(people)
    found: dict[Person, dict[str, bool]] = {}
    if not wanted:
        return found
    me, other = THIS_MEMBER, OTHER_PARTNER
    as_first = and_(Partnership.first_member_id == me.id, Partnership.second_member_id == other.id)
    as_second = and_(Partnership.second_member_id == me.id, Partnership.first_member_id == other.id)
    rows = session.execute(
        select(me.workspace_id, me.slack_user_id, other.slack_user_id, me.status, me.paused_until)
        .select_from(me)
        .join(Partnership, or_(Partnership.first_member_id == me.id, Partnership.second_member_id == me.id))
        .join(other, or_(as_first, as_second))
        .where(
            me.workspace_id.in_({w for w, _ in wanted}),
            me.slack_user_id.in_({u for _, u in wanted}),
            me.status != MemberStatus.LEFT,
            Partnership.status.in_(PAIRS_TOLD),
            Partnership.workspace_id == me.workspace_id,
        )
    )
    for workspace_id, user_id, partner, status, paused_until in rows:
        if (workspace_id, user_id) in wanted and partner != user_id:
            theirs = found.setdefault((workspace_id, user_id), {})
            theirs[partner] = theirs.get(partner, False) or taking_part(status, paused_until, now)
    return found


def settle_blocks(session: Session, known: Mapping[int, datetime | None], settled: Collection[int]) -> None:
    """The return partners know of, by block; the blocks `settled` are due no notice any more (the others keep
    when theirs is due)."""
    done = [
        {"id": block_id, "notice_due_at": None, "told_back_at": known.get(block_id)} for block_id in settled
    ]
    told = [{"id": block_id, "told_back_at": at} for block_id, at in known.items() if block_id not in settled]
    for rows in (done, told):
        if rows:
            session.execute(update(AwayBlock), rows)
