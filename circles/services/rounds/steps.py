"""What carrying out a round's creation steps needs to know, and how far a round's creation has got."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from circles.domain.circle_size import still_meets
from circles.domain.match_vocabulary import StepKind, StepStatus
from circles.domain.vocabulary import MeetingPlace, PartnershipStatus, Role
from circles.messages import UNNAMED
from circles.persistence.db import Session, UnitOfWork
from circles.persistence.models import Circle, Cohort, CreationStep, MatchRun, Partnership
from circles.queries.circle_rooms import circle_places
from circles.queries.circles import circle_member_ids
from circles.queries.members import present_with_profiles
from circles.queries.members.erased import erased_among
from circles.queries.rounds import circle_names, not_added, pair_users, step_in_place, steps_of
from circles.queries.workspaces import meeting_place_of
from circles.services.matching.rounds import RoundPlan
from circles.services.rounds.queue import PAIR_STEPS, method_of


@dataclass(frozen=True)
class Introduction:
    """What a kickoff message says about one person: only the fields profiles share."""

    user_id: str
    role: Role
    department: str = ""
    interests: str = ""
    aspirations: str = ""


@dataclass(frozen=True)
class StepWork:
    """Everything the Slack side needs to carry out one step, read fresh from the database."""

    step_id: int
    kind: StepKind
    cohort_slug: str
    cohort_name: str
    prompt_track: str
    meeting_place: MeetingPlace
    name: str  # the circle's name; for pairs, empty
    conversation_id: str | None
    people: list[Introduction] = field(default_factory=list)


@dataclass(frozen=True)
class Progress:
    """Circles and pairs of a round: ready (every step done), with a problem, no longer needed (the pair
    ended, or everyone left the circle, before it was made), and in all."""

    done: int
    failed: int
    total: int
    waiting: Mapping[str, int] = field(default_factory=dict)  # steps still to do, by the method they call
    not_needed: int = 0
    # Of those with a problem, pairs whose conversation Slack never opened: ended as never made once the
    # round is finished, their people free to be matched again (circles.services.rounds.unmade).
    unmade_pairs: int = 0

    @property
    def finished(self) -> bool:
        return self.done + self.failed + self.not_needed == self.total


@dataclass(frozen=True)
class Problem:
    """A step that could not be done, or a person who could not be invited: no words of anyone's."""

    kind: StepKind
    circle: str  # the circle's name; for a pair, empty
    users: tuple[str, ...]  # the pair, or the one person not invited; UNNAMED: someone erased since
    error: str


@dataclass(frozen=True)
class RoundReport:
    plan: RoundPlan
    progress: Progress
    problems: list[Problem]


def step_work(uow: UnitOfWork, step_id: int) -> StepWork | None:
    """What carrying out the step needs, read fresh; None once the step is no longer pending, or no longer
    needed: its pair ended, or its circle was dissolved or everyone in it but one left (recording the row
    then settles it as not needed). A paused pair is still made: it resumes in its conversation."""
    with uow:
        found = step_in_place(uow.session, step_id)
        if found is None or found[0].status is not StepStatus.PENDING:
            return None
        step, cohort, place = found
        if step.kind in PAIR_STEPS:
            pair = uow.session.get(Partnership, step.target_id)
            if pair is None or pair.status is PartnershipStatus.ENDED:
                return None
            ids = [pair.first_member_id, pair.second_member_id]
            name, conversation = "", pair.conversation_id
        else:
            circle = uow.session.get(Circle, step.target_id)
            if circle is None or circle.dissolved_at is not None:
                return None
            ids = circle_member_ids(uow.session, circle.id)
            name, conversation = circle.name, circle.conversation_id
            if step.kind is StepKind.CIRCLE_INVITE:  # where it was made, whatever the cohort chose since
                place = circle_places(uow.session, [circle.id], place)[circle.id]
        people = _introductions(uow, ids)
        if step.kind is StepKind.CIRCLE_KICKOFF:  # it introduces those in the conversation, nobody else
            missing = not_added(uow.session, step.run_id, step.target_id)
            people = [person for person in people if person.user_id not in missing]
        if not people or (step.kind not in PAIR_STEPS and not still_meets(len(people))):
            return None  # a circle of one is nobody's conversation
        return StepWork(
            step.id,
            step.kind,
            cohort.slug,
            cohort.name,
            cohort.prompt_track,
            place,
            name,
            conversation,
            people,
        )


def round_report(uow: UnitOfWork, run_id: int) -> RoundReport:
    """How far a round's creation is: circles and pairs ready, and what could not be done."""
    with uow:
        session = uow.session
        run = session.get_one(MatchRun, run_id)
        cohort = session.get_one(Cohort, run.cohort_id)
        steps = steps_of(session, run_id)
        families: dict[tuple[bool, int], list[StepStatus]] = {}
        for step in steps:
            families.setdefault((step.kind in PAIR_STEPS, step.target_id), []).append(step.status)
        settled = [f for f in families.values() if StepStatus.PENDING not in f]
        failed = sum(StepStatus.FAILED in f for f in settled)
        dropped = sum(StepStatus.NOT_NEEDED in f and StepStatus.FAILED not in f for f in settled)
        place = meeting_place_of(session, cohort)
        waiting = Counter(method_of(s.kind, place) for s in steps if s.status is StepStatus.PENDING)
        unmade = sum(s.kind is StepKind.PAIR_CONVERSATION and s.status is StepStatus.FAILED for s in steps)
        progress = Progress(len(settled) - failed - dropped, failed, len(families), waiting, dropped, unmade)
        plan = RoundPlan(run.id, cohort.slug, cohort.name, run.round, run.status, run.plan)
        return RoundReport(plan, progress, _problems(session, run, steps))


def _problems(session: Session, run: MatchRun, steps: Sequence[CreationStep]) -> list[Problem]:
    """Failed steps and people not invited, in the order of the steps; their names read together, anyone
    erased since the round not named."""
    troubled = [
        step
        for step in sorted(steps, key=lambda s: s.position)
        if step.status is StepStatus.FAILED or (step.result or {}).get("not_invited")
    ]
    pairs = pair_users(session, {s.target_id for s in troubled if s.kind in PAIR_STEPS})
    circles = circle_names(session, {s.target_id for s in troubled if s.kind not in PAIR_STEPS})
    problems = []
    for step in troubled:
        error = step.last_error or "unknown"
        if step.kind in PAIR_STEPS:
            problems.append(Problem(step.kind, "", pairs.get(step.target_id, ()), error))
            continue
        circle = circles.get(step.target_id, "")
        if step.status is StepStatus.FAILED:
            problems.append(Problem(step.kind, circle, (), error))
        missed: dict[str, str] = (step.result or {}).get("not_invited") or {}
        problems += [Problem(step.kind, circle, (user,), str(code)) for user, code in missed.items()]
    return _unnamed_if_erased(session, run, problems)


def _unnamed_if_erased(session: Session, run: MatchRun, problems: list[Problem]) -> list[Problem]:
    """The problems with the people erased since the round began named nobody (`UNNAMED`): the progress
    message is drawn again at each step, after an erasure too."""
    named = {user for problem in problems for user in problem.users}
    erased = erased_among(session, run.cohort_id, named, run.confirmed_at or run.created_at)
    if not erased:
        return problems
    return [
        replace(problem, users=tuple(UNNAMED if user in erased else user for user in problem.users))
        for problem in problems
    ]


def _introductions(uow: UnitOfWork, member_ids: list[int]) -> list[Introduction]:
    rows = present_with_profiles(uow.session, member_ids)  # never invite back who left
    return [
        Introduction(m.slack_user_id, m.role, p.department, p.interests, p.aspirations)
        if p
        else Introduction(m.slack_user_id, m.role)
        for m, p in rows
    ]
