"""Questions an import of rotation and leave blocks asks: who a cohort's members are by email, which
blocks are already stored, and the set-based writes that store new ones (or an import's with a new end), take
away those a replacing rota no longer holds, and make their people due again."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime
from typing import Any, NamedTuple, TypeVar

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from circles.domain.availability import AbsenceKind
from circles.domain.availability.absence import BLOCKS
from circles.domain.vocabulary import MemberStatus, PartnershipStatus
from circles.persistence.models import AwayBlock, Cohort, Member, Partnership, Profile
from circles.queries.cohorts import PLAN_AT_ONCE
from circles.queries.ids import CHUNK
from circles.queries.inserts import insert_on_conflict, table_of

T = TypeVar("T")
BlockKey = tuple[str, datetime, AbsenceKind]  # whose, start, kind: unique in a cohort's imports, and own ones


class StoredBlock(NamedTuple):
    """What a stored block holds beyond its key: when they are back, and the cohort whose import made it
    (None: the person made it)."""

    ends_at: datetime
    cohort_id: int | None
    id: int


def members_by_email(session: Session, cohort_id: int) -> tuple[dict[str, str], frozenset[str]]:
    """The cohort's members who have not left: their profile emails (lower case) to their user IDs, and
    every one of their user IDs (some have no email stored)."""
    rows = session.execute(
        select(Member.slack_user_id, Profile.email)
        .outerjoin(
            Profile,
            (Profile.workspace_id == Member.workspace_id) & (Profile.slack_user_id == Member.slack_user_id),
        )
        .where(Member.cohort_id == cohort_id, Member.status != MemberStatus.LEFT)
        .order_by(Member.id)
    ).all()
    emails: dict[str, str] = {}
    for user_id, email in rows:
        if email:
            emails.setdefault(email.strip().lower(), user_id)
    return emails, frozenset(user_id for user_id, _ in rows)


def lock_members_of(session: Session, workspace_id: int, cohort_id: int) -> None:
    """Lock every membership (in any cohort) of the cohort's members, in one order: two imports for them at
    once (two facilitators, two processes) run one after the other, the second seeing the first's blocks, and
    a member's own `/circles away` or `back` (which locks their memberships) waits as well."""
    theirs = select(Member.slack_user_id).where(
        Member.cohort_id == cohort_id, Member.status != MemberStatus.LEFT
    )
    session.execute(
        select(Member.id)
        .where(Member.workspace_id == workspace_id, Member.slack_user_id.in_(theirs))
        .order_by(Member.id)
        .with_for_update(key_share=True)  # rows that point at a membership (check-ins) are not held up
    ).all()


def stored_blocks(
    session: Session,
    workspace_id: int,
    cohort_id: int,
    user_ids: Sequence[str],
    within: tuple[datetime, datetime],
) -> dict[BlockKey, StoredBlock]:
    """The blocks these people have in the workspace touching the days `within` (from, until) that this
    cohort's imports or the people themselves made, by key (the cohort's where both share one); a file's
    blocks, and any block with the key of one, fall within the file's days. Another cohort's imported
    blocks are that cohort's: never read, so never changed, taken away or named by this one's import."""
    found: dict[BlockKey, StoredBlock] = {}
    first, last = within
    for chunk in _chunks(user_ids):
        rows = session.execute(
            select(
                AwayBlock.slack_user_id,
                AwayBlock.starts_at,
                AwayBlock.kind,
                AwayBlock.ends_at,
                AwayBlock.cohort_id,
                AwayBlock.id,
            ).where(
                AwayBlock.workspace_id == workspace_id,
                AwayBlock.slack_user_id.in_(chunk),
                or_(AwayBlock.cohort_id == cohort_id, AwayBlock.cohort_id.is_(None)),
                AwayBlock.ends_at >= first,  # the person's index: their history before is not read
                AwayBlock.starts_at <= last,
            )
        )
        for user_id, starts_at, kind, ends_at, block_cohort, block_id in rows:
            key = (user_id, starts_at, AbsenceKind(kind))
            if block_cohort == cohort_id or key not in found:
                found[key] = StoredBlock(ends_at, block_cohort, block_id)
    return found


def store_blocks(session: Session, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert these imported blocks; one whose key in its cohort is taken (that cohort's import stored it)
    takes the new end, and the new time its partners are due to hear of it. One statement run for every
    row: a statement holding thousands of rows' values would be compiled anew each time, which costs more
    than the database's work."""
    if not rows:
        return
    table = table_of(AwayBlock)
    statement = insert_on_conflict(session, table)
    key = ("workspace_id", "slack_user_id", "starts_at", "kind", "cohort_id")
    session.execute(
        statement.on_conflict_do_update(
            index_elements=[table.c[name] for name in key],
            set_={"ends_at": statement.excluded.ends_at, "notice_due_at": statement.excluded.notice_due_at},
        ),
        list(rows),
    )


def take_away(session: Session, gone: Sequence[int], ending: Sequence[int], now: datetime) -> None:
    """Delete the blocks `gone` (not started) and end those `ending` (running) now; partners are due to hear
    of an ended block at once (that the person is back, when they were told they are away)."""
    for chunk in _chunks(gone):
        session.execute(
            delete(AwayBlock).where(AwayBlock.id.in_(chunk)).execution_options(synchronize_session=False)
        )
    for chunk in _chunks(ending):
        session.execute(
            update(AwayBlock)
            .where(AwayBlock.id.in_(chunk))
            .values(ends_at=now, notice_due_at=now)
            .execution_options(synchronize_session=False)
        )


def tell_again(session: Session, workspace_id: int, user_ids: Sequence[str], now: datetime) -> None:
    """Partners of these people who were told of a return still to come hear again at the next pass what
    is so now (a block that made up that return was taken away)."""
    for chunk in _chunks(user_ids):
        session.execute(
            update(AwayBlock)
            .where(
                AwayBlock.workspace_id == workspace_id,
                AwayBlock.slack_user_id.in_(chunk),
                AwayBlock.kind.in_(BLOCKS),
                AwayBlock.told_back_at > now,
            )
            .values(notice_due_at=now)
            .execution_options(synchronize_session=False)
        )


def plan_people_at_once(session: Session, workspace_id: int, user_ids: Sequence[str]) -> None:
    """Plan every cohort of these people, and work out their digests, at the next pass."""
    for chunk in _chunks(user_ids):
        theirs = (Member.workspace_id == workspace_id, Member.slack_user_id.in_(chunk))
        cohorts = select(Member.cohort_id).where(*theirs)
        session.execute(
            update(Cohort)
            .where(Cohort.id.in_(cohorts))
            .values(PLAN_AT_ONCE)
            .execution_options(synchronize_session=False)
        )
        session.execute(
            update(Member)
            .where(*theirs)
            .values(digest_due_at=None)
            .execution_options(synchronize_session=False)
        )


def active_partnerships_of_people(session: Session, workspace_id: int, user_ids: Sequence[str]) -> list[int]:
    """The active partnerships any of these people is in, by id."""
    found: list[int] = []
    for chunk in _chunks(user_ids):
        members = select(Member.id).where(
            Member.workspace_id == workspace_id, Member.slack_user_id.in_(chunk)
        )
        found += session.scalars(
            select(Partnership.id)
            .where(
                Partnership.workspace_id == workspace_id,
                Partnership.status == PartnershipStatus.ACTIVE,
                or_(Partnership.first_member_id.in_(members), Partnership.second_member_id.in_(members)),
            )
            .order_by(Partnership.id)
        )
    return sorted(set(found))


def _chunks(items: Sequence[T]) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]
