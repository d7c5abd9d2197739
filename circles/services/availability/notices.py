"""Tell each running partner of someone on an imported rotation or leave that they are away until a date
(never why) when the block starts, and the new date when an import corrects its end; in the pass.

Blocks store when their notice is due (`notice_due_at`, indexed), so a pass with nothing starting reads
one index and nothing else. Each notice is keyed by block, date and partner: two passes, two workers or
the same file imported again record it once; it waits for the partner's own hours like any partner notice.
What partners heard is kept on every block of the absence, and a pass tells of a person only while it holds
all their blocks: two blocks of one absence (a rotation and their own time) never tell the same twice.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime

from circles.domain.availability import Reach
from circles.domain.availability.told import HeldBlock, partners_hear
from circles.messages import PartnerAway, PartnerBack, Payload
from circles.persistence.db import Session
from circles.persistence.models import AwayBlock
from circles.queries.block_notices import (
    StoredBlock,
    active_partners,
    blocks_of,
    hold_blocks,
    settle_blocks,
    take_due_blocks,
)
from circles.services.availability.reach import reaches
from circles.services.availability.rotations import IMPORTED_BY
from circles.services.outbox.enqueue import Outgoing, enqueue_across

BLOCKS_PER_PASS = 500  # the rest wait for the next pass


def tell_partners_of_blocks(session: Session, now: datetime) -> int:
    """Record the notices due by `now` about imported blocks, in the caller's transaction; returns how many
    partners were told."""
    due = take_due_blocks(session, now, BLOCKS_PER_PASS)
    if not due:
        return 0
    people = {(block.workspace_id, block.user_id) for block in due}
    theirs = blocks_of(session, people, since=min(block.starts_at for block in due))
    # A person's blocks are told of by one pass at a time: one whose blocks another pass (or their own
    # `/circles away` being saved) holds waits for the next pass, which sees what that one told.
    held_now = hold_blocks(session, [stored.id for blocks in theirs.values() for stored in blocks])
    busy = {person for person, blocks in theirs.items() if any(b.id not in held_now for b in blocks)}
    due = [block for block in due if (block.workspace_id, block.user_id) not in busy]
    reach = reaches(session, people - busy, now)
    partners = active_partners(session, people - busy, now)
    outgoing: list[tuple[int, Outgoing]] = []
    known: dict[int, datetime | None] = {}
    held = {person: [held_block(stored) for stored in blocks] for person, blocks in theirs.items()}
    # A person's blocks in the order they start, each seeing what partners heard of those before it in this
    # pass: two blocks over the same days (a rotation and leave, a start corrected) tell partners once.
    for block in sorted(due, key=lambda b: (b.starts_at, b.id)):
        person = (block.workspace_id, block.user_id)
        mine = held.get(person, [])
        at = next((n for n, b in enumerate(mine) if b.id == block.id), None)
        if at is None:  # not a kind partners hear of (an import never makes one): nothing due any more
            known[block.id] = None
            continue
        day = local_day(reach[person])
        told = partners_hear(mine[at], mine, now, day)
        known[block.id] = told.known
        mine[at] = replace(mine[at], told_back_at=told.known)
        if told.news is None:
            continue
        # What partners heard is so of the whole absence now: every block of it that has started (the
        # person's own among them) keeps it, so that another, due now or later, does not tell it again.
        for n, other in enumerate(mine):
            if other.starts_at <= now:
                mine[n] = replace(other, told_back_at=told.known)
                known[other.id] = told.known
        until = day(told.news.back_at) if told.news.back_at is not None else None
        occasion, notice = _notice(block.id, block.user_id, until)
        # That they are away, every partner; that they are back, those whose check-ins no pause holds.
        hearing = [p for p, takes_part in partners.get(person, {}).items() if takes_part or until is not None]
        outgoing += [
            (block.workspace_id, Outgoing(f"{occasion}:{partner}", partner, notice))
            for partner in sorted(hearing)
        ]
    enqueue_across(session, outgoing, now, now)
    settle_blocks(session, known, {block.id for block in due})
    return len(outgoing)


def held_block(stored: StoredBlock | AwayBlock) -> HeldBlock:
    """A stored block with what its partners were told of it; a block nobody imported is the person's own."""
    own = stored.created_by != IMPORTED_BY
    return HeldBlock(stored.id, stored.starts_at, stored.ends_at, stored.kind, own, stored.told_back_at)


def local_day(reach: Reach) -> Callable[[datetime], date]:
    """The person's local date of an instant."""
    return lambda at: reach.local(at).date()


def _notice(block_id: int, user_id: str, until: date | None) -> tuple[str, Payload]:
    """The occasion, keyed as `/circles away` keys its own (a new date is news, the same is not), and the
    notice: away until the local day they are back, or back already when `until` is None."""
    if until is None:
        return f"back:{block_id}", PartnerBack(user_id)
    return f"away:{block_id}:{until.isoformat()}", PartnerAway(user_id, until.isoformat())
