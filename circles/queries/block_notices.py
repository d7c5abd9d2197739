"""Questions the pass asks to tell partners of imported away blocks: which blocks are due a notice (an
indexed read of their due time), the people's blocks, their running partners, and what was told."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session, aliased

from circles.domain.availability.absence import BLOCKS, AbsenceKind
from circles.domain.availability.told import PAIRS_TOLD
from circles.domain.vocabulary import MemberStatus
from circles.persistence.models import AwayBlock, Member, Partnership
from circles.queries.availability import Person

# Made once: an alias adapts its columns at first use and keeps them; a new one at each call cost most of
# the statement's building.
_ME, _OTHER = aliased(Member), aliased(Member)


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


def active_partners(session: Session, people: Collection[Person]) -> dict[Person, set[str]]:
    """Each person's partners (Slack user IDs) in the partnerships told of their absence (active ones), in any
    cohort of theirs."""
    wanted = set(people)
    found: dict[Person, set[str]] = {}
    if not wanted:
        return found
    as_first = and_(Partnership.first_member_id == _ME.id, Partnership.second_member_id == _OTHER.id)
    as_second = and_(Partnership.second_member_id == _ME.id, Partnership.first_member_id == _OTHER.id)
    rows = session.execute(
        select(_ME.workspace_id, _ME.slack_user_id, _OTHER.slack_user_id)
        .select_from(_ME)
        .join(Partnership, or_(Partnership.first_member_id == _ME.id, Partnership.second_member_id == _ME.id))
        .join(_OTHER, or_(as_first, as_second))
        .where(
            _ME.workspace_id.in_({w for w, _ in wanted}),
            _ME.slack_user_id.in_({u for _, u in wanted}),
            _ME.status != MemberStatus.LEFT,
            Partnership.status.in_(PAIRS_TOLD),
            Partnership.workspace_id == _ME.workspace_id,
        )
    )
    for workspace_id, user_id, partner in rows:
        if (workspace_id, user_id) in wanted and partner != user_id:
            found.setdefault((workspace_id, user_id), set()).add(partner)
    return found


def settle_blocks(session: Session, known: Mapping[int, datetime | None]) -> None:
    """These blocks' partners have heard what they need: no notice due, and the return they know of."""
    if known:
        session.execute(
            update(AwayBlock),
            [{"id": block_id, "notice_due_at": None, "told_back_at": at} for block_id, at in known.items()],
        )
