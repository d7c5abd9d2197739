"""Read what matching needs from the database: people, earlier groupings, conflicts and ended pairs."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from circles.domain.cohort_rules import is_time_zone
from circles.domain.matching.endings import EndedPairs
from circles.domain.matching.met import Met, meeting_weight, weigh_meetings, weight_of
from circles.domain.vocabulary import MemberStatus, Role
from circles.persistence.db import Session
from circles.persistence.models import Cohort, Member, Profile
from circles.queries.circles import members_by_circle
from circles.queries.match_constraints import constrained_pairs
from circles.queries.members import cohort_members, members_taking_part
from circles.queries.partnerships import guided_counts
from circles.queries.rounds import latest_rounds
from circles.services.matching.ended_pairs import PairHistory, partnership_history


@dataclass(frozen=True)
class MemberFacts:
    """One active member with the profile fields matching looks at."""

    member_id: int
    user_id: str
    role: Role
    department: str
    seniority: str
    utc_offset_hours: float | None
    interests: str
    aspirations: str
    skills: str
    offers: str
    capacity: int  # for a coach or mentor: the places left for this cohort's pairs (see `gather`)
    offered: int = 0  # the places they said they take, in all their cohorts (0: none, or not said yet)


@dataclass(frozen=True)
class MatchInputs:
    members: list[MemberFacts]
    # Member pairs that already shared a circle or a partnership; a `Met` (from `gather`) also weighs them.
    history: frozenset[frozenset[int]]
    # Never to put together, by member id: declared conflicts, blocks, and ended pairs kept apart.
    forbidden: frozenset[frozenset[int]]
    fixed_pairs: list[
        tuple[int, int]
    ]  # partnerships already running: (guide or first peer, learner or second)
    next_round: int  # every confirmed round counts, with or without circles
    # Ended pairs among the current members (paused ones too), kept apart or allowed again, to name.
    ended: EndedPairs = field(default_factory=EndedPairs)
    circle_round: int = 0  # the latest round that formed circles (a re-match places into those)
    # Members on a break (neither taking part nor left), by id, with their Slack user: matched into
    # nothing, yet still sitting in their circle, so `forbidden` and `ended` hold their pairs too.
    paused: dict[int, str] = field(default_factory=dict)

    @property
    def active_ended(self) -> EndedPairs:
        """The ended pairs whose two members both take part now: what a whole round keeps apart."""
        return self.ended.among(m.member_id for m in self.members)

    def fingerprint(self, settings_key: str) -> str:
        """Changes whenever anything the plan depends on changes: a stale preview is then refused."""
        data = {
            "members": [(m.member_id, m.role.value, m.capacity) for m in self.members],
            "history": sorted([*sorted(pair), weight_of(self.history, pair)] for pair in self.history),
            "forbidden": sorted(sorted(pair) for pair in self.forbidden),
            "fixed": sorted(self.fixed_pairs),
            "round": self.next_round,
            "settings": settings_key,
        }
        return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def gather(
    session: Session, cohort: Cohort, now: datetime, look_back_rounds: int | None = None
) -> MatchInputs:
    """Everything one matching run reads, in a handful of set-based queries."""
    rows = members_taking_part(session, cohort.id, now)
    # Endings count whatever the look-back: it spaces out repeat groupings, it does not undo an ending.
    pairs = partnership_history(session, cohort)
    facts = [_facts(member, profile, cohort.timezone, now) for member, profile in rows]
    members = _room_here(session, cohort, facts, pairs.running)
    ids = {m.member_id: m.user_id for m in members}
    # A paused member still sits in their circle: a re-match must not seat beside them anyone they ended a
    # partnership with or must not be grouped with. Members who left are out of it.
    paused = {
        m.id: m.slack_user_id
        for m in cohort_members(session, cohort.id)
        if m.status is not MemberStatus.LEFT and m.id not in ids
    }
    current = ids | paused
    latest, circle_round = latest_rounds(session, cohort.id)
    ended = pairs.ended.among(current)
    met = _met(session, cohort, latest, look_back_rounds, pairs)
    return MatchInputs(
        members=members,
        history=Met({couple: weight for couple, weight in met.items() if couple <= ids.keys()}),
        forbidden=_forbidden(session, cohort, current) | ended.forbidden,
        fixed_pairs=pairs.running,  # running partnerships (e.g. agreed in the directory) stay
        next_round=latest + 1,
        ended=ended,
        circle_round=circle_round,
        paused=paused,
    )


def _facts(member: Member, profile: Profile | None, default_zone: str, now: datetime) -> MemberFacts:
    zone = (
        profile.timezone if profile and profile.timezone and is_time_zone(profile.timezone) else default_zone
    )
    return MemberFacts(
        member_id=member.id,
        user_id=member.slack_user_id,
        role=member.role,
        department=(profile.department if profile else "").strip().lower(),
        seniority=(profile.seniority if profile else "").strip().lower(),
        utc_offset_hours=_offset(zone, now),
        interests=profile.interests if profile else "",
        aspirations=profile.aspirations if profile else "",
        skills=profile.skills if profile else "",
        offers=profile.offers if profile else "",
        capacity=(profile.capacity if profile else None) or 0,
        offered=(profile.capacity if profile else None) or 0,
    )


def _room_here(
    session: Session, cohort: Cohort, members: list[MemberFacts], running: list[tuple[int, int]]
) -> list[MemberFacts]:
    """A guide's capacity is for all their cohorts: what they guide in other cohorts is not free here."""
    guides = [m for m in members if m.role.guides]
    if not guides:
        return members
    everywhere = guided_counts(session, cohort.workspace_id, {m.user_id for m in guides})
    here = Counter(first for first, _ in running)
    return [
        replace(m, capacity=max(m.capacity - (everywhere.get(m.user_id, 0) - here[m.member_id]), 0))
        if m.role.guides
        else m
        for m in members
    ]


def _offset(zone: str, now: datetime) -> float | None:
    try:
        offset = now.astimezone(ZoneInfo(zone)).utcoffset()
    except (ZoneInfoNotFoundError, ValueError):
        return None
    return offset.total_seconds() / 3600 if offset is not None else None


def _met(
    session: Session, cohort: Cohort, last_round: int, look_back: int | None, pairs: PairHistory
) -> dict[frozenset[int], int]:
    """Each pair that met, with what their meetings weigh for the next round: every shared circle within the
    look-back (one query, whatever the rounds), and every partnership as one meeting in its round, a running
    one as in the latest (they meet still)."""
    after = last_round - look_back if look_back is not None else None
    met = weigh_meetings(members_by_circle(session, cohort.id, after), last_round + 1)
    ended_in = {e.pair: e.round for e in (*pairs.ended.apart, *pairs.ended.allowed)}
    for couple in pairs.partners:
        weight = meeting_weight(ended_in.get(couple, last_round), last_round + 1)
        met[couple] = met.get(couple, 0) + weight
    return met


def _forbidden(session: Session, cohort: Cohort, ids: dict[int, str]) -> frozenset[frozenset[int]]:
    by_user: dict[str, list[int]] = {}
    for member_id, user_id in ids.items():
        by_user.setdefault(user_id, []).append(member_id)
    declared = constrained_pairs(session, cohort.workspace_id, list(by_user))
    return frozenset(_pairs(by_user, declared))


def _pairs(by_user: dict[str, list[int]], declared: Iterable[tuple[str, str]]) -> Iterable[frozenset[int]]:
    for one, other in declared:
        for a in by_user.get(one, []):
            for b in by_user.get(other, []):
                if a != b:
                    yield frozenset((a, b))
