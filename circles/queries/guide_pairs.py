"""The pairs a coach's or mentor's digest speaks of, set-based: the same few statements for one guide with
one pair or thousands with fifty each."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, case, exists, func, select
from sqlalchemy.orm import Session

from circles.domain.health.meetings import read_meetings
from circles.domain.nudges import PairActivity
from circles.domain.vocabulary import PartnershipStatus
from circles.persistence.models import CheckIn, Partnership
from circles.queries.aliases import NEWER_CHECKIN
from circles.queries.checkins import asked_at, asked_by
from circles.queries.health.pairs import active_pairs
from circles.queries.health.reads import answers_by_pair, cohort_scope, thresholds


def pair_activity(
    session: Session, guide_ids: Collection[int], now: datetime
) -> dict[int, list[PairActivity]]:
    """Each guide's active pairs: the partner, the latest meeting, the guide's own waiting check-ins, and
    the days without meeting as health reads them, from the same rows (circles.queries.health.pairs and
    .reads) by the same rule (circles.domain.health.meetings): the time either partner was away (a rotation,
    leave, `/circles away`) or paused, or the pair itself was, and the time no check-in asked about is no
    day without meeting, and until a check-in asked since the last meeting reported is answered or missed,
    the pair awaits it."""
    if not guide_ids:
        return {}
    scope = cohort_scope(None, None, guides=guide_ids)
    rows = active_pairs(session, scope, now)
    answers, limits = answers_by_pair(session, scope, now), thresholds(session, scope)
    waiting = _waiting(session, guide_ids, now)
    found: dict[int, list[PairActivity]] = defaultdict(list)
    for row in rows:
        pair = row.pair
        count, soonest = waiting.get(pair.id, (0, None))
        later = None if soonest is None else soonest + timedelta(days=1)
        within = timedelta(days=limits[row.cohort_id].answer_within_days)
        meetings, _ = read_meetings(pair, answers.get(pair.id, ()), now, within)
        found[pair.first_member_id].append(
            PairActivity(
                row.second_user_id,
                pair.started_at,
                meetings.last_met_at,
                count,
                later,
                meetings.unasked,
                tuple(sorted(pair.away)),
                meetings.awaiting,
            )
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
        asked_by(now, newer),  # one planned ahead or held for the guide's hours replaces nothing yet
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
