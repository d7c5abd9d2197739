"""A member's next prompt and check-in as the planner will send them (circles.domain.planning.ahead): with
their own pause and away blocks, their partners', and the cohort's blackout dates."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from circles.domain.blackouts import parse_blackouts
from circles.domain.planning import PairIn, Person, zone_for
from circles.domain.planning.ahead import Next, next_checkin, next_prompt
from circles.domain.vocabulary import PartnershipKind
from circles.queries.members.standing import Standing
from circles.services.partnerships.running import PartnerStatus
from circles.services.planning.load import cadence_of


def next_dates(
    standing: Standing,
    partners: Sequence[PartnerStatus],
    own_zone: str | None,
    now: datetime,
    *,
    seated: bool,
    meets: bool = True,
) -> tuple[Next, Next]:
    """The member's next prompt (none while they are `seated` in no circle, or none of theirs `meets`), and
    next check-in in their own time zone (None without an active pair)."""
    member, cohort = standing.member, standing.cohort
    cadence = cadence_of(cohort)
    blackouts = parse_blackouts(cohort.blackout_dates)
    zone = zone_for(own_zone, cadence.timezone)
    me = Person(member.id, member.slack_user_id, member.status, member.paused_until, zone, standing.away)
    # The planner plans active pairs only: a paused pair has no check-in to come.
    pairs = [_pair(me, partner, cadence.timezone) for partner in partners if not partner.paused]
    checkin = next_checkin(cadence, blackouts, me, pairs, now) if pairs else Next(None)
    return next_prompt(cadence, blackouts, me, now, seated=seated, meets=meets), checkin


def _pair(me: Person, partner: PartnerStatus, zone: str) -> PairIn:
    status, until, away = partner.partner_status, partner.partner_paused_until, partner.partner_away
    other = Person(0, partner.partner_user_id, status, until, zone, away)
    guided = partner.kind is not PartnershipKind.PEER
    return PairIn(partner.partnership_id, guided, None, partner.started_at, me, other)
