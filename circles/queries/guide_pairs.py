"""The pairs a coach's or mentor's digest speaks of, set-based: the same few statements for one guide with
one pair or thousands with fifty each."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, exists, func, or_, select
from sqlalchemy.orm import Session

from circles.domain.health.away import Spans
from circles.domain.health.unasked import unasked_spans
from circles.domain.nudges import PairActivity
from circles.domain.vocabulary import PartnershipStatus
from circles.persistence.models import AwayBlock, CheckIn, Member, Partnership
from circles.queries.aliases import FIRST_PARTNER, NEWER_CHECKIN
from circles.queries.checkins import asked_at
from circles.queries.on_hold import checkin_interval, holding_blocks, pair_pauses_of, pauses_of, with_partners


def pair_activity(
    session: Session, guide_ids: Collection[int], now: datetime
) -> dict[int, list[PairActivity]]:
    """Each guide's active pairs: the partner, the latest meeting, the guide's own waiting check-ins, and
    the time that is no day without meeting, as in health: the gaps in which no check-in was asked though
    one was due, the time either partner was away (a rotation, leave, `/circles away`) or paused, and the
    time the pair itself was paused."""
    if not guide_ids:
        return {}
    pairs = select(Partnership.id, Partnership.first_member_id, Partnership.started_at, Member.slack_user_id)
    rows = session.execute(with_partners(pairs, FIRST_PARTNER, Member).where(*_guided(guide_ids))).all()
    met = dict(
        session.execute(
            select(CheckIn.partnership_id, func.max(CheckIn.answered_at))
            .where(CheckIn.partnership_id.in_(_pair_ids(guide_ids)), CheckIn.met.is_(True))
            .group_by(CheckIn.partnership_id)
        ).all()
    )
    waiting, away = _waiting(session, guide_ids, now), _away(session, guide_ids)
    instants = _asked(session, guide_ids, now)
    found: dict[int, list[PairActivity]] = defaultdict(list)
    for pair_id, guide_id, started_at, partner, weeks, *partners in rows:
        count, soonest = waiting.get(pair_id, (0, None))
        later = None if soonest is None else soonest + timedelta(days=1)
        unasked = unasked_spans(instants.get(pair_id, ()), checkin_interval(weeks))
        held = away.get(pair_id, ()) + pauses_of(partners[:3], now) + pauses_of(partners[3:6], now)
        held += pair_pauses_of(partners[6:], now)
        found[guide_id].append(
            PairActivity(partner, started_at, met.get(pair_id), count, later, unasked, tuple(sorted(held)))
        )
    return dict(found)


def _guided(guide_ids: Collection[int]) -> list[ColumnElement[bool]]:
    """The conditions on the active partnerships of these guides. Each statement names the guides, never
    the pairs: a pass may look at more pairs than a statement takes bound parameters (65,535 on
    PostgreSQL), never at more guides than that."""
    return [
        Partnership.first_member_id.in_(sorted(guide_ids)),
        Partnership.status == PartnershipStatus.ACTIVE,
    ]


def _pair_ids(guide_ids: Collection[int]) -> Select[Any]:
    """The ids of the active partnerships of these guides, as a subquery."""
    return select(Partnership.id).where(*_guided(guide_ids))


def _waiting(
    session: Session, guide_ids: Collection[int], now: datetime
) -> dict[int, tuple[int, datetime | None]]:
    """Each pair's guide's own check-in unanswered a day after it was asked, and when the next one of
    theirs will be. Only the newest counts: one a newer check-in replaced takes no answer any more
    (as `services.checkins.answers` refuses it), so it is nothing the guide can act on."""
    newer = NEWER_CHECKIN
    replaced = exists().where(
        newer.partnership_id == CheckIn.partnership_id,
        newer.member_id == CheckIn.member_id,
        newer.due_at > CheckIn.due_at,
    )
    cutoff = now - timedelta(days=1)  # a check-in waits for an answer once a day has gone by
    asked = asked_at()  # from when its question went: one held for the guide's hours waits from then
    return {
        pair_id: (int(count), soonest)
        for pair_id, count, soonest in session.execute(
            select(
                CheckIn.partnership_id,
                func.count(case((asked <= cutoff, 1))),
                func.min(case((asked > cutoff, asked))),
            )
            .join(Partnership, Partnership.id == CheckIn.partnership_id)
            .where(
                *_guided(guide_ids),
                CheckIn.member_id == Partnership.first_member_id,
                CheckIn.answered_at.is_(None),
                ~replaced,
            )
            .group_by(CheckIn.partnership_id)
        ).all()
    }


def _asked(session: Session, guide_ids: Collection[int], now: datetime) -> dict[int, list[datetime]]:
    """Each pair's check-ins asked by now, in order."""
    asked = asked_at()
    instants: dict[int, list[datetime]] = defaultdict(list)
    for pair_id, at in session.execute(
        select(CheckIn.partnership_id, asked)
        .where(CheckIn.partnership_id.in_(_pair_ids(guide_ids)), asked <= now)
        .distinct()
        .order_by(CheckIn.partnership_id, asked)
    ).all():
        instants[pair_id].append(at)
    return instants


def _away(session: Session, guide_ids: Collection[int]) -> dict[int, Spans]:
    """Each pair's time on hold: both partners' away blocks (from, back at) that end after it started."""
    partner = or_(Member.id == Partnership.first_member_id, Member.id == Partnership.second_member_id)
    blocks: dict[int, set[tuple[datetime, datetime]]] = defaultdict(set)
    for pair_id, since, back in session.execute(
        select(Partnership.id, AwayBlock.starts_at, AwayBlock.ends_at)
        .join(Member, partner)
        .join(AwayBlock, and_(holding_blocks(AwayBlock, Member), AwayBlock.ends_at > Partnership.started_at))
        .where(*_guided(guide_ids))
    ).all():
        blocks[pair_id].add((since, back))
    return {pair_id: tuple(sorted(spans)) for pair_id, spans in blocks.items()}
