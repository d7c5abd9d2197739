"""The demo's people at work: partners answer check-ins, facilitators answer alerts, some pairs end."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from sqlalchemy import select

from bot.demo.behaviour import ENDING_REASON, Behaviour, Reply
from bot.demo.timeline import Timeline
from bot.demo.world import World
from circles.domain.checkins import CheckInAnswer
from circles.domain.escalations import Outcome
from circles.domain.vocabulary import EscalationStatus, PartnershipStatus
from circles.errors import CirclesError
from circles.notes import note_cipher
from circles.persistence.models import CheckIn, Escalation, Member, Partnership
from circles.services.checkins.answers import answer
from circles.services.escalations.access import EscalationAct
from circles.services.escalations.claim import claim_escalation
from circles.services.escalations.partnership import end_from_escalation
from circles.services.escalations.resolve import resolve_escalation
from circles.services.outbox.checkins import checkin_of
from circles.services.partnerships.changes import end_partnership

CLAIM_AFTER = timedelta(hours=18)
RESOLVE_AFTER = timedelta(days=3)


@dataclass
class Answering:
    """Each check-in's reply, drawn the moment it fell due (so a seed tells the same story however long a
    question waits for its person's hours), and the check-ins answered or let pass."""

    drawn: dict[int, Reply | None] = field(default_factory=dict)
    decided: set[int] = field(default_factory=set)
    asked: set[int] = field(default_factory=set)  # check-ins whose question has reached its person

    def reached(self, payloads: Iterable[dict[str, Any]]) -> None:
        """Note the check-in questions among messages just sent."""
        self.asked.update(question for payload in payloads if (question := checkin_of(payload)) is not None)


def answer_checkins(
    world: World,
    behaviour: Behaviour,
    timeline: Timeline,
    answering: Answering,
    away: frozenset[str] = frozenset(),
) -> None:
    """Each partner answers (or lets pass) each check-in once its question has reached them; someone
    `away` answers only once they are back."""
    now, db = world.clock.now(), world.deps.db
    with db.unit_of_work() as uow:
        due = uow.session.execute(
            select(CheckIn, Member.slack_user_id, Partnership.first_member_id)
            .join(Member, Member.id == CheckIn.member_id)
            .join(Partnership, Partnership.id == CheckIn.partnership_id)
            .where(CheckIn.due_at <= now, CheckIn.answered_at.is_(None))
            .order_by(CheckIn.id)  # one seeded draw after another: the same order every run
        ).all()
    cipher = note_cipher(world.deps.settings)
    for checkin, user_id, coach_member in due:
        if checkin.id in answering.decided or user_id in away:
            continue
        if checkin.id not in answering.drawn:
            is_coach = checkin.member_id == coach_member
            answering.drawn[checkin.id] = behaviour.answers(checkin.partnership_id, is_coach=is_coach)
        if checkin.id not in answering.asked:  # held for its person's hours: not reached them yet
            continue
        answering.decided.add(checkin.id)
        timeline.tally.checkins_due += 1
        reply = answering.drawn[checkin.id]
        if reply is None:
            continue
        given = CheckInAnswer(reply.rating, reply.met, reply.note, reply.share, reply.support)
        try:
            answer(db.unit_of_work(), world.team_id, user_id, checkin.id, given, now, cipher=cipher)
        except CirclesError:
            continue  # superseded by a newer check-in, or the partnership has ended meanwhile
        timeline.tally.checkins_answered += 1
        timeline.tally.support_requests += int(reply.support)
        if reply.support:
            timeline.event(now, f"{timeline.who(user_id)} asked the facilitators for support")


def facilitators_act(
    world: World, behaviour: Behaviour, timeline: Timeline, facilitator: str, settled: set[int]
) -> None:
    """Reach out the day after an alert; a few days later, close it: reconnected, or ended kindly.
    The alerts closed join `settled`."""
    now, db = world.clock.now(), world.deps.db
    with db.unit_of_work() as uow:
        open_ones = uow.session.scalars(
            select(Escalation)
            .where(Escalation.status.in_([EscalationStatus.OPEN, EscalationStatus.CLAIMED]))
            .order_by(Escalation.id)
        ).all()
    for escalation in open_ones:
        who = timeline.who(facilitator)
        act = EscalationAct(
            db.unit_of_work(), world.team_id, facilitator, escalation.id, is_admin=False, now=now
        )
        if escalation.status is EscalationStatus.OPEN and now - escalation.opened_at >= CLAIM_AFTER:
            claim_escalation(act)
            timeline.tally.escalations_claimed += 1
            timeline.event(now, f"{who} said “I'll reach out” to alert #{escalation.id}")
        elif escalation.status is EscalationStatus.CLAIMED and escalation.claimed_at is not None:
            if now - escalation.claimed_at < RESOLVE_AFTER:
                continue
            if behaviour.facilitator_helps(escalation.partnership_id):
                resolve_escalation(act, Outcome.RECONNECTED, "Met both; agreed a regular time.")
                timeline.event(now, f"{who} resolved alert #{escalation.id}: reconnected")
            else:
                end_from_escalation(act, rematch=False, request_key=f"demo:{escalation.id}")
                timeline.tally.ended_by_facilitator += 1
                timeline.event(
                    now, f"{who} ended the partnership behind alert #{escalation.id}, without fault"
                )
            timeline.tally.escalations_resolved += 1
            settled.add(escalation.id)


def closed_by_circles(world: World, timeline: Timeline, settled: set[int]) -> None:
    """Count the alerts Circles closed itself because their partnership ended some other way (its partner
    ended it, or the cohort came to its end); `settled` holds the ones already counted."""
    with world.deps.db.unit_of_work() as uow:
        rows = uow.session.execute(
            select(Escalation.id, Escalation.resolved_at).where(
                Escalation.status == EscalationStatus.RESOLVED, Escalation.id.not_in(settled)
            )
        ).all()
    for escalation_id, resolved_at in rows:
        settled.add(escalation_id)
        timeline.tally.escalations_resolved += 1
        when = resolved_at or world.clock.now()
        timeline.event(when, f"alert #{escalation_id} closed by Circles: its partnership had ended")


def partners_may_end(world: World, behaviour: Behaviour, timeline: Timeline) -> None:
    """Once a week, a learner in a pair gone cold may end it themselves, privately and without fault."""
    now, db = world.clock.now(), world.deps.db
    with db.unit_of_work() as uow:
        pairs = uow.session.execute(
            select(Partnership.id, Member.slack_user_id)
            .join(Member, Member.id == Partnership.second_member_id)
            .where(Partnership.status == PartnershipStatus.ACTIVE)
            .order_by(Partnership.id)
        ).all()
    for partnership_id, learner in pairs:
        mood = behaviour.mood(partnership_id)
        if mood.chemistry < 0.4 and behaviour.rng.random() < 0.35:
            end_partnership(
                db.unit_of_work(),
                world.team_id,
                learner,
                partnership_id,
                ENDING_REASON,
                now,
                request_key=f"demo:end:{partnership_id}",
            )
            timeline.tally.ended_by_partner += 1
            timeline.event(
                now,
                f"{timeline.who(learner)} ended their partnership (no-fault; only facilitators see why)",
            )


def new_escalations(world: World, timeline: Timeline, seen: set[int]) -> None:
    with world.deps.db.unit_of_work() as uow:
        rows = uow.session.execute(
            select(Escalation, Partnership)
            .join(Partnership, Partnership.id == Escalation.partnership_id)
            .where(Escalation.id.not_in(seen) if seen else Escalation.id.is_not(None))
            .order_by(Escalation.id)
        ).all()
        # Most passes open no alert: who the partners are is read only when one was.
        ids = {member for _, pair in rows for member in (pair.first_member_id, pair.second_member_id)}
        found = select(Member.id, Member.slack_user_id).where(Member.id.in_(ids))
        members = {member: user for member, user in uow.session.execute(found)} if rows else {}
    for escalation, pair in rows:
        seen.add(escalation.id)
        timeline.tally.escalations_opened += 1
        pair_words = timeline.pair(members[pair.first_member_id], members[pair.second_member_id])
        reasons = "; ".join(escalation.reasons) or escalation.state or ""
        timeline.event(
            escalation.opened_at, f"alert #{escalation.id} to the facilitators: {pair_words} — {reasons}"
        )
