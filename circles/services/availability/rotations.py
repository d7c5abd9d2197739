"""Import a cohort's rotation and leave blocks: find the cohort and its members, then store the blocks."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from circles.domain.rotations import Block, Held, Members, Removal, replaced, rota_span
from circles.persistence.db import Session, UnitOfWork
from circles.queries import rotations
from circles.queries.availability import block_values
from circles.services.cohorts.lookup import require_cohort
from circles.services.health.due import look_now
from circles.services.outbox.held import reconsider_held

IMPORTED_BY = "import"  # the blocks came from a facilitator's file, not from someone in Slack


@dataclass(frozen=True)
class RotationCohort:
    """The cohort the blocks are for: where it is, its time zone, and who its members are."""

    workspace_id: int
    cohort_id: int
    timezone: str
    members: Members


@dataclass(frozen=True)
class RotationsImported:
    added: int  # blocks stored now
    already_stored: int  # blocks an earlier import (or the person) had stored: left as they were
    people: int  # people with a block in the file
    updated: int = 0  # blocks an earlier import had stored with another end: they end as the file says now
    removed: tuple[Removal, ...] = ()  # replacing the rota: imported blocks the file no longer holds
    span: tuple[datetime, datetime] | None = None  # replacing the rota: the days it covers


def rotation_cohort(unit: UnitOfWork, team_id: str, slug: str) -> RotationCohort:
    """The workspace's cohort with this slug and its members (CohortNotFound when there is none)."""
    with unit:
        cohort = require_cohort(unit.session, team_id, slug)
        by_email, ids = rotations.members_by_email(unit.session, cohort.id)
        return RotationCohort(
            cohort.workspace_id, cohort.id, cohort.timezone, Members(cohort.slug, by_email, ids)
        )


def import_rotations(
    uow: UnitOfWork,
    cohort: RotationCohort,
    blocks: Sequence[Block],
    *,
    now: datetime,
    dry_run: bool = False,
    replace: bool = False,
) -> RotationsImported:
    """Store the blocks not stored yet, and move the end of those an import stored with another end (the
    file's row corrected), in one transaction; with `replace` (the file is the members' whole rota over its
    days), take away the imported blocks it no longer holds (see `replaced`). Then plan their people's cohorts
    again, look at their partnerships' health at the next pass, and have what is held for them looked at
    again at the next claim (a block the file ends now releases it, with the catch-up). Partners hear of a
    block from the pass, when it starts, and that the person is back when one they heard of ends early (see
    `notices`). The import manages its own cohort's blocks only: another cohort's file holding the same
    block keeps its own (the person is away while either says so), never moved, taken away or named here. A
    block the person made is theirs: left as it is. A dry run only counts."""
    with uow:
        session = uow.session
        if not dry_run:  # two imports at once (two facilitators): one after the other
            rotations.lock_members_of(session, cohort.workspace_id, cohort.cohort_id)
        people = sorted(cohort.members.ids if replace else {block.user_id for block in blocks})
        span = rota_span(blocks)
        stored = _stored(session, cohort, people, span)
        new: list[Block] = []
        moved: list[Block] = []
        for block in blocks:
            held = stored.get((block.user_id, block.starts_at, block.kind))
            if held is None:
                new.append(block)
            elif held.cohort_id == cohort.cohort_id and held.ends_at != block.ends_at:
                moved.append(block)
        imported = [
            Held(user_id, starts_at, held.ends_at, kind)
            for (user_id, starts_at, kind), held in stored.items()
            if held.cohort_id == cohort.cohort_id
        ]
        removed = replaced(blocks, imported, cohort.members.ids, now) if replace else []
        if ((writes := [*new, *moved]) or removed) and not dry_run:
            rotations.store_blocks(session, [_row(cohort, b, now) for b in writes])
            _take_away(session, cohort, stored, removed, now)
            changed = sorted({block.user_id for block in writes} | {gone.user_id for gone in removed})
            rotations.plan_people_at_once(session, cohort.workspace_id, changed)
            reconsider_held(session, cohort.workspace_id, changed, now)  # a block ended early: held rows go
            look_now(
                session, rotations.active_partnerships_of_people(session, cohort.workspace_id, changed), now
            )
            uow.commit()
    kept = len(blocks) - len(new) - len(moved)
    return RotationsImported(
        len(new),
        kept,
        len({block.user_id for block in blocks}),
        updated=len(moved),
        removed=tuple(removed),
        span=span if replace else None,
    )


def _stored(
    session: Session, cohort: RotationCohort, people: Sequence[str], span: tuple[datetime, datetime] | None
) -> dict[rotations.BlockKey, rotations.StoredBlock]:
    """The blocks of these people over the file's days that the import may meet: its cohort's imported
    ones, which it corrects and replaces, and the people's own, which it leaves as they are. Another
    cohort's imports are that cohort's to manage: this one stores its own block beside them."""
    if span is None:
        return {}
    return rotations.stored_blocks(session, cohort.workspace_id, cohort.cohort_id, people, span)


def _take_away(
    session: Session,
    cohort: RotationCohort,
    stored: Mapping[rotations.BlockKey, rotations.StoredBlock],
    removed: Sequence[Removal],
    now: datetime,
) -> None:
    """Delete the blocks not started, end the running ones now; partners who heard of a return still to come
    hear again what is so (a block removed may have made up that return)."""
    ids = {gone: stored[(gone.user_id, gone.starts_at, gone.kind)].id for gone in removed}
    rotations.take_away(
        session,
        [ids[gone] for gone in removed if not gone.running],
        [ids[gone] for gone in removed if gone.running],
        now,
    )
    rotations.tell_again(session, cohort.workspace_id, sorted({gone.user_id for gone in removed}), now)


def _row(cohort: RotationCohort, block: Block, now: datetime) -> dict[str, object]:
    """A block's columns; its partners' notice is due at its start, or at once when it has started (a block
    running already, or an end corrected after the start: they hear the new date, or that it is over)."""
    span = (block.starts_at, block.ends_at)
    values = block_values(
        cohort.workspace_id,
        block.user_id,
        span,
        block.kind,
        by=IMPORTED_BY,
        now=now,
        cohort_id=cohort.cohort_id,
    )
    return {**values, "notice_due_at": max(block.starts_at, now)}
