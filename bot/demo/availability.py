"""The demo's hospital rhythms: two residents on night shifts, one away on rotation, imported as a
facilitator would with `circles cohort rotations`, and what the programme did around them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from bot.demo.population import Person
from bot.demo.timeline import Timeline
from bot.demo.world import World
from circles.domain.availability import WorkPattern, parse_shift
from circles.domain.rotations import assign_people, find_people, read_rotations
from circles.domain.vocabulary import OutboxStatus, PartnershipStatus
from circles.persistence.models import Escalation, Member, OutboxMessage, Partnership, Profile
from circles.services.availability.rotations import import_rotations, rotation_cohort

NIGHTS = "Sun-Thu 19:00-07:00"
ROTATION_DAYS = 14


@dataclass
class Rhythms:
    """Who works nights and who is away when, and whether the timeline has said so yet."""

    nights: list[str] = field(default_factory=list)  # Slack user IDs
    away: str | None = None
    partner: str | None = None
    away_from: datetime | None = None
    back_at: datetime | None = None
    said: set[str] = field(default_factory=set)

    def away_at(self, now: datetime) -> frozenset[str]:
        """Who is away at `now`."""
        if self.away is None or self.away_from is None or self.back_at is None:
            return frozenset()
        return frozenset({self.away}) if self.away_from <= now < self.back_at else frozenset()


def set_up(world: World, crowd: list[Person], slug: str, starts_on: date, timeline: Timeline) -> Rhythms:
    """After matching: the first paired learner goes on rotation in week 2, the next two work nights."""
    now, zone = world.clock.now(), timeline.zone
    paired = _paired_learners(world)
    local = [user for user, _ in paired if _zone_of(crowd, user) == zone.key]  # ticks fall in their evening
    rhythms = Rhythms()
    if paired:
        rhythms.away, rhythms.partner = paired[0]
    rhythms.nights = [user for user in local if user != rhythms.away][:2]
    if rhythms.nights:
        _work_nights(world, rhythms.nights)
        names = " and ".join(timeline.who(user) for user in rhythms.nights)
        timeline.event(now, f"{names} work nights ({NIGHTS}): what is personal waits for their evening")
    if rhythms.away is not None:
        first = starts_on + timedelta(weeks=1)
        last = first + timedelta(days=ROTATION_DAYS - 1)
        email = next(p.email for p in crowd if p.user_id == rhythms.away)
        _import_rota(world, slug, f"email,start,end,kind\n{email},{first},{last},rotation\n")
        rhythms.away_from = datetime.combine(first, datetime.min.time(), tzinfo=zone)
        rhythms.back_at = datetime.combine(last + timedelta(days=1), datetime.min.time(), tzinfo=zone)
        timeline.event(
            now,
            f"a facilitator imported the rota: {timeline.who(rhythms.away)} on rotation "
            f"{first:%a %d %b} to {last:%a %d %b}",
        )
    return rhythms


def say_away(rhythms: Rhythms, now: datetime, timeline: Timeline) -> None:
    """Mark on the timeline when the rotation starts and when its resident is back."""
    if rhythms.away is None or rhythms.away_from is None or rhythms.back_at is None:
        return
    who = timeline.who(rhythms.away)
    if now >= rhythms.away_from and "away" not in rhythms.said:
        rhythms.said.add("away")
        partner = timeline.who(rhythms.partner) if rhythms.partner else "their partner"
        timeline.event(
            rhythms.away_from,
            f"{who} is away on rotation until {rhythms.back_at:%a %d %b}: no check-ins or nudges for them, "
            f"and {partner} hears only that they are away until then",
        )
    if now >= rhythms.back_at and "back" not in rhythms.said:
        rhythms.said.add("back")
        timeline.event(rhythms.back_at, f"{who} is back from rotation")


def summary(world: World, rhythms: Rhythms, timeline: Timeline) -> list[str]:
    """What reached the night shift in their hours, and what reached or was raised about the resident away."""
    lines = []
    if rhythms.nights:
        pattern = WorkPattern(parse_shift(NIGHTS))
        sent = _checkins_sent(world, rhythms.nights)
        inside = sum(pattern.working_at(at.astimezone(timeline.zone)) for at in sent)
        names = ", ".join(timeline.who(user) for user in rhythms.nights)
        lines.append(
            f"  night shift ({names}): {inside} of {len(sent)} check-ins arrived in their working hours"
        )
    if rhythms.away is not None and rhythms.away_from is not None and rhythms.back_at is not None:
        span = (rhythms.away_from, rhythms.back_at)
        reached = sum(span[0] <= at < span[1] for at in _checkins_sent(world, [rhythms.away]))
        alerts = _alerts_while_away(world, rhythms.away, span)
        lines.append(
            f"  away ({timeline.who(rhythms.away)}, {ROTATION_DAYS} days on rotation): {reached} check-ins "
            f"reached them while away; {alerts} alerts about their partnership were opened while away"
        )
    deferred = timeline.tally.deferred
    lines.append(f"  held for a window: {sum(deferred.values())} personal messages sent later than first due")
    return lines


def _paired_learners(world: World) -> list[tuple[str, str]]:
    """Each learner in an active partnership, with their partner, by partnership."""
    with world.deps.db.reading() as unit:
        members = {m.id: m.slack_user_id for m in unit.session.scalars(select(Member))}
        pairs = unit.session.execute(
            select(Partnership.first_member_id, Partnership.second_member_id)
            .where(Partnership.status == PartnershipStatus.ACTIVE)
            .order_by(Partnership.id)
        ).all()
    return [(members[learner], members[guide]) for guide, learner in pairs]


def _zone_of(crowd: list[Person], user_id: str) -> str:
    return next((p.timezone for p in crowd if p.user_id == user_id), "")


def _work_nights(world: World, users: list[str]) -> None:
    pattern = WorkPattern(parse_shift(NIGHTS)).to_json()
    with world.deps.db.unit_of_work() as uow:
        for profile in uow.session.scalars(select(Profile).where(Profile.slack_user_id.in_(users))):
            profile.work_pattern = pattern
        uow.commit()


def _import_rota(world: World, slug: str, text: str) -> None:
    """As `circles cohort rotations SLUG FILE` does it, with every email a member's."""
    db, now = world.deps.db, world.clock.now()
    cohort = rotation_cohort(db.reading(), world.team_id, slug)
    rotations = read_rotations(text.encode(), "demo rota", ZoneInfo(cohort.timezone))
    found, refused = find_people(rotations.emails(), cohort.members, None)
    blocks, _ = assign_people(rotations, found, refused)
    import_rotations(db.unit_of_work(), cohort, blocks, now=now)


def _checkins_sent(world: World, users: list[str]) -> list[datetime]:
    with world.deps.db.reading() as unit:
        rows = unit.session.execute(
            select(OutboxMessage.sent_at, OutboxMessage.payload).where(
                OutboxMessage.status == OutboxStatus.SENT, OutboxMessage.channel.in_(users)
            )
        ).all()
    return [at for at, payload in rows if at is not None and payload.get("template") == "checkin"]


def _alerts_while_away(world: World, user: str, span: tuple[datetime, datetime]) -> int:
    with world.deps.db.reading() as unit:
        theirs = select(Member.id).where(Member.slack_user_id == user)
        query = (
            select(func.count())
            .select_from(Escalation)
            .join(Partnership, Partnership.id == Escalation.partnership_id)
            .where(
                (Partnership.first_member_id.in_(theirs)) | (Partnership.second_member_id.in_(theirs)),
                Escalation.opened_at >= span[0],
                Escalation.opened_at < span[1],
            )
        )
        return int(unit.session.scalar(query) or 0)
