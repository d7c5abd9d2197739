"""A member reads a cohort's research statement and gives or withdraws consent to research use."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from circles.domain.research.consent import (
    DEFAULT_STATEMENT,
    ConsentRecord,
    Decision,
    asked_again,
    counted,
    latest_decision,
)
from circles.domain.vocabulary import MemberStatus
from circles.errors import ConsentStatementChanged, ConsentWhichCohort, NotAMember, WorkspaceUnknown
from circles.persistence.db import Session, UnitOfWork
from circles.persistence.models import Cohort, Member, Workspace
from circles.queries.consents import decisions_of, record_decision
from circles.queries.members import current_memberships, hold_memberships
from circles.services.intake.workspaces import find_workspace

__all__ = ["DEFAULT_STATEMENT", "CohortConsent", "Decided", "consent_status", "decide", "statement_of"]


@dataclass(frozen=True)
class CohortConsent:
    """One cohort's statement as the member sees it, and their latest decision there (None: not asked yet)."""

    slug: str
    name: str
    statement: str
    version: str
    latest: ConsentRecord | None

    @property
    def changed_since_agreed(self) -> bool:
        """They agreed to an older statement: it changed, and they are asked again."""
        return asked_again(self.latest, self.version)


@dataclass(frozen=True)
class Decided:
    """What the member is told after deciding: the decision standing now, and whether it was new."""

    slug: str
    name: str
    record: ConsentRecord
    changed: bool


def consent_status(uow: UnitOfWork, team_id: str, user_id: str, now: datetime) -> list[CohortConsent]:
    """The research statement and the person's latest decision in each cohort they are in now, and in each
    they left while their consent stands (their answers there are still exported: they may withdraw it)."""
    with uow:
        workspace = _workspace(uow.session, team_id)
        theirs = current_memberships(uow.session, workspace.id, user_id, with_left=True)
        history = _histories(uow.session, theirs, user_id)
        cohorts = [
            cohort
            for member, cohort in theirs
            if member.status is not MemberStatus.LEFT or _stands(history.get(cohort.id, []), now)
        ]
        return [
            CohortConsent(
                cohort.slug,
                cohort.name,
                statement_of(cohort),
                cohort.research_statement_version,
                latest_decision(history.get(cohort.id, []), now),
            )
            for cohort in cohorts
        ]


def decide(
    uow: UnitOfWork,
    team_id: str,
    user_id: str,
    cohort_slug: str | None,
    give: bool,
    now: datetime,
    *,
    read_version: str | None = None,
) -> Decided:
    """Record a decision in the named cohort (or their only one); the same decision again records nothing.

    `read_version` is the statement the person was shown: an agreement to a statement that has changed
    since is refused (ConsentStatementChanged), so nobody agrees to words they never read. Withdrawing
    is never refused."""
    decision = Decision.GIVEN if give else Decision.WITHDRAWN
    with uow:
        workspace = _workspace(uow.session, team_id)
        # Their memberships held as a leave and an erasure take them, then read: of a decision and an
        # erasure at once, the second waits for the first. An erasure after finds this decision and deletes
        # it; one before has left and erased them, and there is nothing to decide on.
        hold_memberships(uow.session, workspace.id, user_id)
        # Withdrawing is never refused: a cohort they left still exports their answers while consent stands.
        memberships = [
            (member, cohort)
            for member, cohort in current_memberships(
                uow.session, workspace.id, user_id, cohort_slug=cohort_slug, with_left=not give
            )
            if not _erased_since_joining(member)
        ]
        if not memberships:
            raise NotAMember(cohort_slug)
        if len(memberships) > 1:  # several and none named: each cohort has its own statement
            raise ConsentWhichCohort(sorted(cohort.slug for _, cohort in memberships))
        cohort = memberships[0][1]
        history = _histories(uow.session, memberships, user_id).get(cohort.id, [])
        latest = latest_decision(history, now)
        version = cohort.research_statement_version
        if give and read_version is not None and read_version != version:
            raise ConsentStatementChanged(cohort.name, version)
        if latest is not None and latest.decision is decision and latest.statement_version == version:
            return Decided(cohort.slug, cohort.name, latest, changed=False)
        record = record_decision(uow.session, cohort, user_id, decision, now)
        uow.commit()
        return Decided(cohort.slug, cohort.name, record, changed=True)


def statement_of(cohort: Cohort) -> str:
    """The cohort's own research statement, or the product's default wording."""
    return cohort.research_statement or DEFAULT_STATEMENT


def _workspace(session: Session, team_id: str) -> Workspace:
    workspace = find_workspace(session, team_id)
    if workspace is None:
        raise WorkspaceUnknown()
    return workspace


def _histories(
    session: Session, theirs: list[tuple[Member, Cohort]], user_id: str
) -> dict[int, list[ConsentRecord]]:
    """The decisions that count in each of these memberships' cohorts: none from before an erasure."""
    found = decisions_of(session, [cohort.id for _, cohort in theirs], user_id)
    return {cohort.id: counted(found.get(cohort.id, []), member.erased_before) for member, cohort in theirs}


def _erased_since_joining(member: Member) -> bool:
    """Erased in this membership and not back since: nothing of theirs is kept there, a decision neither."""
    return member.erased_before is not None and member.joined_at <= member.erased_before


def _stands(history: list[ConsentRecord], now: datetime) -> bool:
    latest = latest_decision(history, now)
    return latest is not None and latest.decision is Decision.GIVEN
