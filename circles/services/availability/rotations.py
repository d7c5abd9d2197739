"""Import a cohort's rotation and leave blocks: find the cohort and its members, then store the blocks."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from circles.domain.rotations import Block, Members
from circles.persistence.db import UnitOfWork
from circles.queries import rotations
from circles.queries.availability import block_values
from circles.services.cohorts.config import require_cohort
from circles.services.health.due import look_now

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


def rotation_cohort(unit: UnitOfWork, team_id: str, slug: str) -> RotationCohort:
    """The workspace's cohort with this slug and its members (CohortNotFound when there is none)."""
    with unit:
        cohort = require_cohort(unit.session, team_id, slug)
        by_email, ids = rotations.members_by_email(unit.session, cohort.id)
        return RotationCohort(
            cohort.workspace_id, cohort.id, cohort.timezone, Members(cohort.slug, by_email, ids)
        )


def import_rotations(
    uow: UnitOfWork, cohort: RotationCohort, blocks: Sequence[Block], *, now: datetime, dry_run: bool = False
) -> RotationsImported:
    """Store the blocks not stored yet, and move the end of those an import stored with another end (the
    file's row corrected), in one transaction; then plan their people's cohorts again and look at their
    partnerships' health at the next pass. Partners hear of a block from the pass, when it starts (see
    `notices`). A block the person made is theirs: left as it is. A dry run only counts."""
    people = sorted({block.user_id for block in blocks})
    with uow:
        session = uow.session
        stored = rotations.stored_blocks(session, cohort.workspace_id, people)
        new: list[Block] = []
        moved: list[Block] = []
        for block in blocks:
            held = stored.get((block.user_id, block.starts_at, block.kind))
            if held is None:
                new.append(block)
            elif held.created_by == IMPORTED_BY and held.ends_at != block.ends_at:
                moved.append(block)
        if (writes := [*new, *moved]) and not dry_run:
            rotations.store_blocks(session, [_row(cohort, b, now) for b in writes], movable_by=IMPORTED_BY)
            changed = sorted({block.user_id for block in writes})
            rotations.plan_people_at_once(session, cohort.workspace_id, changed)
            look_now(
                session, rotations.active_partnerships_of_people(session, cohort.workspace_id, changed), now
            )
            uow.commit()
    kept = len(blocks) - len(new) - len(moved)
    return RotationsImported(len(new), kept, len(people), updated=len(moved))


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
