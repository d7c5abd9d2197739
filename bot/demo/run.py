"""`circles demo`: a whole programme on a virtual clock, with the real services, rules and dispatcher."""

from __future__ import annotations

import json
import logging
import sys
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TextIO
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from bot.cli_import import read_file
from bot.demo import actors, availability
from bot.demo import research as research_side
from bot.demo.behaviour import PRIVATE_WORDS, Behaviour
from bot.demo.population import cohort_file as synthetic_file
from bot.demo.population import crowd_from_file, people
from bot.demo.timeline import Tally, Timeline, kinds_in_words, matched, summarise
from bot.demo.world import World, build_world, import_and_match, known_tracks
from bot.dispatch import DispatchOptions
from bot.pacing import SlackLimits
from bot.tick import run_tick
from circles.domain.cohort_file import parse_cohort_file
from circles.domain.vocabulary import EndReason, OutboxStatus
from circles.persistence.models import OutboxMessage, Partnership
from circles.services.reports import ReportFiles, write_report
from circles.services.research.export import ResearchExport

STEP = timedelta(hours=6)
# Virtual time runs far faster than Slack's limits, which the stand-in does not enforce here.
UNPACED = DispatchOptions(limits=SlackLimits.none())
START = date(2027, 1, 4)  # a Monday; the story does not depend on today's date


@dataclass(frozen=True)
class DemoOptions:
    members: int = 24
    weeks: int = 8
    seed: int = 7
    cohort: Path | None = None  # a cohort file to run instead of the synthetic one
    out: Path = Path("circles-demo-report")
    quiet: bool = False


@dataclass
class DemoResult:
    tally: Tally
    report: ReportFiles | None = None
    research: ResearchExport | None = None
    research_file: Path | None = None


def run_demo(options: DemoOptions, out: TextIO | None = None) -> DemoResult:
    """Import, match, then live the cohort's weeks: plan, send, answer, watch, escalate, act, end."""
    out = sys.stdout if out is None else out  # the standard output of now, not of when this was imported
    logging.getLogger().setLevel(logging.WARNING)  # the timeline tells the story; logs would drown it
    crowd = people(options.members, options.seed)
    if options.cohort is not None:
        # Read as `circles cohort import` reads it: at most its size, as UTF-8; Refused otherwise.
        name = str(options.cohort)
        text = read_file(name)
    else:
        text, name = synthetic_file(crowd, START, options.weeks, options.seed), "demo cohort"
    parsed = research_side.with_survey_plan(parse_cohort_file(text, name, known_tracks()))
    crowd = crowd if options.cohort is None else crowd_from_file(parsed)
    timeline = Timeline(out, options.quiet, {p.user_id: p.name for p in crowd})
    timeline.zone, timeline.ends_on = ZoneInfo(parsed.settings.timezone), parsed.settings.ends_on
    starts_on = parsed.settings.starts_on or START
    with build_world(crowd, starts_on, parsed.settings.timezone) as world:
        facilitator = crowd[0].user_id
        timeline.week(0, world.clock.now())
        plan = import_and_match(world, parsed, facilitator)
        matched(timeline, plan.plan, world.clock.now())
        rhythms = availability.set_up(world, crowd, parsed.slug, starts_on, timeline)
        members = [p.user_id for p in crowd if p.role != "facilitator"]
        research = research_side.Research(options.seed, parsed.slug, members)
        actors_ = (Behaviour(options.seed), research)
        _live(world, timeline, actors_, facilitator, starts_on, options.weeks, rhythms)
        timeline.tally.completed = _completed(world)
        facilitators = {p.user_id for p in crowd if p.role == "facilitator"}
        timeline.tally.private_sent, timeline.tally.private_astray = _privacy_check(world, facilitators)
        result = DemoResult(timeline.tally)
        result.report = _report(world, parsed.slug, options.out)
        result.research, result.research_file = research_side.export(world, research, options.out)
        more = availability.summary(world, rhythms, timeline)
        more += research_side.summary(world, research, result.research)
    summarise(timeline, result.report.index if result.report else None, more, result.research_file)
    return result


def _live(
    world: World,
    timeline: Timeline,
    actors_: tuple[Behaviour, research_side.Research],
    facilitator: str,
    starts_on: date,
    weeks: int,
    rhythms: availability.Rhythms,
) -> None:
    behaviour, research = actors_  # how the partners and facilitators act; what members do for research
    steps = int(timedelta(weeks=weeks, days=2) / STEP)  # a day past the end: partnerships complete
    answering = actors.Answering()
    alerts: set[int] = set()
    counted = Counted()
    settled: set[int] = set()
    for step in range(1, steps + 1):
        now = world.clock.advance(STEP)
        timeline.week((now.astimezone(timeline.zone).date() - starts_on).days // 7 + 1, now, weeks)
        availability.say_away(rhythms, now, timeline)
        run_tick(world.deps, now, sending=UNPACED)
        _sent(world, timeline, counted, answering)
        actors.new_escalations(world, timeline, alerts)
        actors.answer_checkins(world, behaviour, timeline, answering, away=rhythms.away_at(now))
        research_side.step(world, research, timeline, (step, steps), away=rhythms.away_at(now))
        actors.facilitators_act(world, behaviour, timeline, facilitator, settled)
        if step % int(timedelta(weeks=1) / STEP) == 0:
            behaviour.week_passes()
            actors.partners_may_end(world, behaviour, timeline)
        actors.closed_by_circles(world, timeline, settled)
        timeline.progress(step, steps)
    timeline.clear_progress()


@dataclass
class Counted:
    """The sent messages already counted, and the instant of the pass that last looked: a pass reads
    only what was sent since, not every message of the programme again."""

    ids: set[int] = field(default_factory=set)
    since: datetime | None = None


def _sent(world: World, timeline: Timeline, counted: Counted, answering: actors.Answering) -> None:
    now = world.clock.now()
    sent = OutboxMessage.status == OutboxStatus.SENT
    recent = sent if counted.since is None else sent & (OutboxMessage.sent_at >= counted.since)
    with world.deps.db.unit_of_work() as uow:
        rows = uow.session.execute(
            select(OutboxMessage.id, OutboxMessage.payload, OutboxMessage.deferred_from).where(recent)
        ).all()
    counted.since = now
    fresh_rows = [(payload, held) for row_id, payload, held in rows if row_id not in counted.ids]
    counted.ids.update(row_id for row_id, _, _ in rows)
    answering.reached(payload for payload, _ in fresh_rows)
    fresh = Counter(str(payload.get("template")) for payload, _ in fresh_rows)
    held = Counter(str(payload.get("template")) for payload, since in fresh_rows if since is not None)
    timeline.tally.sent.update(fresh)
    timeline.tally.deferred.update(held)
    if fresh:
        words = ", ".join(f"{n} {kinds_in_words(t)}" for t, n in sorted(fresh.items()))
        timeline.event(world.clock.now(), f"sent {words}")
    if held:
        first = min(since for _, since in fresh_rows if since is not None).astimezone(timeline.zone)
        words = ", ".join(f"{n} {kinds_in_words(t)}" for t, n in sorted(held.items()))
        said = f"of these, held for their people's window: {words} (the earliest due {first:%a %H:%M})"
        timeline.event(world.clock.now(), said)


def _report(world: World, slug: str, out: Path) -> ReportFiles:
    """The cohort's report as its facilitators would get it from `circles report --out`."""
    # Health was recomputed at every tick; the report counts exactly what those passes recorded.
    return write_report(
        world.deps.db.reading(), world.team_id, slug, out, world.clock.now(), refresh_health=False
    )


def _completed(world: World) -> int:
    with world.deps.db.unit_of_work() as uow:
        query = (
            select(func.count()).select_from(Partnership).where(Partnership.end_reason == EndReason.COMPLETED)
        )
        return int(uow.session.scalar(query) or 0)


def _privacy_check(world: World, facilitators: set[str]) -> tuple[int, int]:
    """Private messages Slack received, and how many messages reached someone who must not see them.

    A message went astray when a private one (an alert, a support request, an ending report) reached
    anyone but a facilitator, or when any other message carried words only facilitators may read: a
    partner's note or the reason someone gave for ending. Ordinary notices (a partnership ended) are
    not private and count as neither.
    """
    with world.deps.db.unit_of_work() as uow:
        private_keys = {
            key
            for key, payload in uow.session.execute(
                select(OutboxMessage.idempotency_key, OutboxMessage.payload)
            ).all()
            if payload.get("private")
        }
    sent = astray = 0
    for call in world.standin.calls("chat.postMessage"):
        key = str(((call.args.get("metadata") or {}).get("event_payload") or {}).get("key", ""))
        to_facilitator = call.args.get("channel") in facilitators
        if key in private_keys:
            sent += 1
            astray += not to_facilitator
        elif not to_facilitator:
            words = json.dumps([call.args.get("text"), call.args.get("blocks")], ensure_ascii=False)
            astray += any(secret in words for secret in PRIVATE_WORDS)
    return sent, astray
