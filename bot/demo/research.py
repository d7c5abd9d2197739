"""The demo's research side: a survey plan, members who answer (or not) through the survey service,
consent given and sometimes withdrawn through the consent service, and the research export at the end."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field, replace
from enum import Enum
from pathlib import Path

from sqlalchemy import select

from bot.cli_export import write_export
from bot.demo.timeline import Timeline
from bot.demo.world import World
from circles.domain.cohort_file import CohortFile
from circles.domain.cohort_settings import PHASES, SurveyPlan
from circles.domain.vocabulary import OutboxStatus
from circles.errors import CirclesError
from circles.notes import note_cipher
from circles.persistence.models import Cohort, Member, OutboxMessage, SurveyRequest
from circles.queries.surveys import response_rates
from circles.services.research.consent import decide
from circles.services.research.export import ResearchExport
from circles.services.surveys.answers import GivenSurvey, answer_survey
from instruments.catalog import instrument

PLAN = {"baseline": ["belonging"], "midpoint": ["burnout"], "end": ["belonging"]}
CONSENTS, WITHDRAWS = 2 / 3, 0.12  # about two in three agree; of those, about one in eight changes their mind
NEVER, LATE = 0.15, 0.25  # members who never answer a survey, and those who answer once reminded


class Habit(Enum):
    """How a member treats a survey invitation."""

    PROMPT = "answers when invited"
    LATE = "answers once reminded"
    NEVER = "never answers"


@dataclass
class Research:
    """Seeded choices of the research side, apart from the rest of the story so it keeps its course."""

    seed: int
    slug: str
    members: list[str]  # the cohort's members (not its facilitators), by Slack user ID
    habits: dict[str, Habit] = field(default_factory=dict)
    agreed: list[str] = field(default_factory=list)
    withdrew: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed + 101)  # noqa: S311 - a reproducible story, not secrets

    def habit(self, user_id: str) -> Habit:
        if user_id not in self.habits:
            draw = self.rng.random()
            self.habits[user_id] = (
                Habit.NEVER if draw < NEVER else Habit.LATE if draw < NEVER + LATE else Habit.PROMPT
            )
        return self.habits[user_id]


def with_survey_plan(parsed: CohortFile) -> CohortFile:
    """The cohort as imported, with the demo's plan when its file plans no surveys (end ones need an end)."""
    if any(getattr(parsed.settings.survey_plan, phase) for phase in PHASES):
        return parsed
    phases = PLAN if parsed.settings.ends_on is not None else {"baseline": PLAN["baseline"]}
    settings = parsed.settings.with_changes(survey_plan=SurveyPlan.of(phases))
    return replace(
        parsed, settings=settings, unwritten=tuple(n for n in parsed.unwritten if n != "survey_plan")
    )


def step(
    world: World, research: Research, timeline: Timeline, at: tuple[int, int], away: frozenset[str]
) -> None:
    """One step (`at`: its number of all): consent at the first, a few withdraw half-way, surveys answered."""
    number, steps = at
    if number == 1:
        consent(world, research, timeline)
    elif number == steps // 2:
        withdraw(world, research, timeline)
    answer_surveys(world, research, timeline, away)


def consent(world: World, research: Research, timeline: Timeline) -> None:
    """At the start, each member reads the research statement and about two in three agree."""
    now = world.clock.now()
    for user_id in research.members:
        if research.rng.random() < CONSENTS and _decide(world, user_id, research.slug, give=True):
            research.agreed.append(user_id)
    said = f"research consent: {len(research.agreed)} of {len(research.members)} members agreed"
    timeline.event(now, said)


def withdraw(world: World, research: Research, timeline: Timeline) -> None:
    """Half-way through, a few who agreed withdraw (at least one, when anyone agreed)."""
    now = world.clock.now()
    leaving = [user for user in research.agreed if research.rng.random() < WITHDRAWS]
    leaving = leaving or research.agreed[:1]
    for user_id in leaving:
        if _decide(world, user_id, research.slug, give=False):
            research.withdrew.append(user_id)
            timeline.event(now, f"{timeline.who(user_id)} withdrew their research consent")


def answer_surveys(world: World, research: Research, timeline: Timeline, away: frozenset[str]) -> None:
    """Members answer the surveys that reached them, as the Slack form would send them: most when invited,
    some once reminded, a few never; someone away answers once back."""
    now, db = world.clock.now(), world.deps.db
    with db.reading() as uow:
        waiting = uow.session.execute(
            select(SurveyRequest.id, SurveyRequest.instrument, Member.slack_user_id)
            .join(Member, Member.id == SurveyRequest.member_id)
            .where(
                SurveyRequest.sent_at.is_not(None),
                SurveyRequest.answered_at.is_(None),
                SurveyRequest.superseded_at.is_(None),
            )
            .order_by(SurveyRequest.id)
        ).all()
        keys = [f"survey_reminder:{row[0]}" for row in waiting]
        reminded = set(
            uow.session.scalars(
                select(OutboxMessage.idempotency_key).where(
                    OutboxMessage.idempotency_key.in_(keys), OutboxMessage.status == OutboxStatus.SENT
                )
            )
            if keys
            else ()
        )
    cipher, answered = note_cipher(world.deps.settings), Counter[str]()
    for request_id, name, user_id in waiting:
        habit = research.habit(user_id)
        late = habit is Habit.LATE and f"survey_reminder:{request_id}" not in reminded
        if habit is Habit.NEVER or late or user_id in away:
            continue
        given = GivenSurvey(_values(research.rng, name))
        try:
            answer_survey(db.unit_of_work(), world.team_id, user_id, request_id, given, now, cipher=cipher)
        except CirclesError:
            continue  # closed meanwhile, or its member left or paused
        answered[name] += 1
    if answered:
        words = ", ".join(f"{n} {instrument(name).title}" for name, n in sorted(answered.items()))
        timeline.event(now, f"surveys answered: {words}")


def summary(world: World, research: Research, made: ResearchExport) -> list[str]:
    """Response rates by phase, and who the research export holds, in counts only."""
    with world.deps.db.reading() as uow:
        cohort = uow.session.scalars(select(Cohort).where(Cohort.slug == research.slug)).one()
        rates = response_rates(uow.session, cohort.workspace_id, cohort.id)
    lines = [
        f"  survey at the {rate.phase.value}, {instrument(rate.instrument).title}: "
        f"{rate.answered} of {rate.sent} answered ({100 * rate.answered // max(rate.sent, 1)}%)"
        for rate in rates
    ]
    members = made.included + made.left_out
    withdrew = f"; {len(research.withdrew)} withdrew later" if research.withdrew else ""
    return [*lines, f"  research export: {made.included} of {members} members consented{withdrew}"]


def export(world: World, research: Research, folder: Path) -> tuple[ResearchExport, Path]:
    """The cohort's research export, written into the report's folder as `circles export` writes it."""
    folder.mkdir(parents=True, exist_ok=True)
    out, now = folder / f"{research.slug}-research.zip", world.clock.now()
    return write_export(world.deps.db, world.deps.settings, world.team_id, research.slug, now, out), out


def _decide(world: World, user_id: str, slug: str, *, give: bool) -> bool:
    try:
        decide(world.deps.db.unit_of_work(), world.team_id, user_id, slug, give, world.clock.now())
    except CirclesError:
        return False  # not (or no longer) in the cohort
    return True


def _values(rng: random.Random, name: str) -> dict[str, int | None]:
    """An answer to every scale question, spread over its scale."""
    items = instrument(name).items
    return {i.id: rng.randint(i.scale.min, i.scale.max) for i in items if i.scale is not None}
