"""Who a cohort had, for a research export: its members, partnerships and consents, and every name in
the workspace that an export must leave out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, union
from sqlalchemy.orm import Session, aliased

from circles.domain.research.consent import ConsentRecord
from circles.domain.vocabulary import EndReason, MemberStatus, PartnershipKind, Role
from circles.persistence.models import Consent, Facilitator, Member, Partnership, Profile
from circles.queries.members.person import status_at
from circles.queries.partnerships.pairs import were_partners
from circles.queries.reports.as_of import ended_as_of
from circles.queries.reports.facts import MemberFact


@dataclass(frozen=True)
class MemberRow:
    member_id: int
    user_id: str
    role: Role
    status: MemberStatus
    joined_at: datetime
    left_at: datetime | None
    erased_before: datetime | None = None  # erased then: nothing of theirs up to it is exported again


@dataclass(frozen=True)
class PartnershipRow:
    partnership_id: int
    kind: PartnershipKind
    first_member_id: int
    second_member_id: int
    started_at: datetime
    ended_at: datetime | None
    end_reason: EndReason | None


@dataclass(frozen=True)
class Identities:
    """Everything in the workspace that names someone: an export must contain none of it."""

    user_ids: frozenset[str]
    names: frozenset[str]
    emails: frozenset[str]


def consent_histories(session: Session, cohort_id: int) -> dict[str, list[ConsentRecord]]:
    """Every person's consent decisions in the cohort, oldest first."""
    query = (
        select(Consent.slack_user_id, Consent.decision, Consent.decided_at, Consent.statement_version)
        .where(Consent.cohort_id == cohort_id)
        .order_by(Consent.decided_at, Consent.id)
    )
    found: dict[str, list[ConsentRecord]] = {}
    for user_id, decision, at, version in session.execute(query):
        found.setdefault(user_id, []).append(ConsentRecord(decision, at, version))
    return found


def cohort_members(session: Session, cohort_id: int, until: datetime) -> list[MemberRow]:
    """Every member the cohort had by `until`, left ones included, as they stood then: a leave, a return, a
    pause or a resume after it has not happened yet (`MemberFact.as_of`); and when they were last erased."""
    query = select(
        Member.id,
        Member.slack_user_id,
        Member.role,
        status_at(Member, until),
        Member.joined_at,
        Member.left_at,
        Member.earlier_stints,
        Member.pauses,
        Member.paused_until,
        Member.erased_before,
    ).where(Member.cohort_id == cohort_id)
    found = []
    rows = session.execute(query.order_by(Member.id))
    for member_id, user_id, role, status, joined_at, left_at, earlier, pauses, paused_until, erased in rows:
        then = MemberFact(role, status, joined_at, left_at, earlier, pauses, paused_until).as_of(until)
        if then is not None:
            found.append(
                MemberRow(member_id, user_id, role, then.status, then.joined_at, then.left_at, erased)
            )
    return found


def cohort_partnerships(session: Session, cohort_id: int, until: datetime) -> list[PartnershipRow]:
    """Every partnership the cohort had started by `until`, ended ones included, as they stood then: an end
    after it has not happened yet. A pair Slack never made is none (`were_partners`)."""
    _, end_reason, ended_at = ended_as_of(until)
    query = select(
        Partnership.id,
        Partnership.kind,
        Partnership.first_member_id,
        Partnership.second_member_id,
        Partnership.started_at,
        ended_at,
        end_reason,
    ).where(Partnership.cohort_id == cohort_id, Partnership.started_at <= until, were_partners())
    return [PartnershipRow(*row) for row in session.execute(query.order_by(Partnership.id))]


def workspace_identities(session: Session, workspace_id: int) -> Identities:
    """The workspace's Slack IDs, emails and every name Slack gives its people (a display name may be a
    handle, their real name another), in two statements."""
    profiles = select(Profile.slack_user_id, Profile.display_name, Profile.slack_names, Profile.email).where(
        Profile.workspace_id == workspace_id
    )
    user_ids, names, emails = set(), set(), set()
    for user_id, name, slack_names, email in session.execute(profiles):
        user_ids.add(user_id)
        names.update([name] if name else [])
        if isinstance(slack_names, list):  # as `apply_slack` keeps them; anything else there names nobody
            names.update(other for other in slack_names if isinstance(other, str) and other)
        emails.update([email] if email else [])
    member = aliased(Member)
    others = union(
        select(member.slack_user_id).where(member.workspace_id == workspace_id),
        select(Facilitator.slack_user_id).where(Facilitator.workspace_id == workspace_id),
    )
    user_ids.update(session.scalars(select(others.subquery().c[0])))
    return Identities(frozenset(user_ids), frozenset(names), frozenset(emails))
