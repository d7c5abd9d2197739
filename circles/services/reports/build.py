"""Cohorts' reports: read their facts in a few queries, whatever their number, and count them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from circles.errors import NotAFacilitator
from circles.persistence.db import Session, UnitOfWork
from circles.persistence.models import Cohort
from circles.queries import reports as facts
from circles.queries.cohorts import is_facilitator
from circles.queries.members import user_ids_by_member
from circles.queries.partnerships.ever import partners_ever
from circles.queries.reports import HealthFact, SharedNote
from circles.services.cohorts.lookup import require_cohort
from circles.services.reports.assemble import CohortFacts, assemble
from circles.services.reports.figures import Report
from circles.services.reports.health_now import changes_now
from circles.services.reports.individual import Decrypt, OpenedNotes, partnership_rows, read_notes
from circles.services.reports.rows import PartnershipRow
from circles.services.reports.viewer import Looking, left_out_pairs, looking_as, workspace_of


def cohort_reports(
    session: Session,
    cohorts: Sequence[Cohort],
    now: datetime,
    fresh: Mapping[int, Sequence[HealthFact]] | None = None,
    *,
    viewer: str | None = None,
    circles: bool = True,
) -> list[Report]:
    """The anonymous reports of cohorts of one workspace, in the order given, as of `now`.

    One query per kind of row, however many cohorts; `fresh` by cohort, and a `viewer` who is one of a pair
    gets nothing of it, as `cohort_report` has them. Without `circles`, circles are not read (none shown).
    """
    looking = looking_as(session, cohorts, viewer)
    return _reports(session, cohorts, now, fresh or {}, looking, with_circles=circles)


def cohort_report(
    session: Session,
    cohort: Cohort,
    now: datetime,
    *,
    individual: bool = False,
    decrypt: Decrypt | None = None,
    viewer: str | None = None,
    fresh: Sequence[HealthFact] = (),
) -> Report:
    """Everything the report shows, as of `now`; per-partnership rows only with `individual`.

    `fresh` is health worked out as of now and not stored (`changes_now`): it counts after the stored history.

    Shared notes appear in those rows only when `decrypt` is given; notes their authors kept are never read.
    A `viewer` who is one of a pair (a facilitator may also be a partner), or was ever paired with one of its
    partners, gets nothing of that pair: not its row, nor its health, check-ins or escalations in any count.
    The caller has checked that whoever sees it may (see `authorized_cohort`).
    """
    users = (
        user_ids_by_member(session, cohort.workspace_id, cohort.id)
        if individual or viewer is not None
        else {}
    )
    ever = (
        frozenset(partners_ever(session, cohort.workspace_id, viewer)) if viewer is not None else frozenset()
    )
    looking = Looking(individual, decrypt, viewer, users, ever)
    [report] = _reports(session, [cohort], now, {cohort.id: fresh}, looking)
    return report


def _reports(
    session: Session,
    cohorts: Sequence[Cohort],
    now: datetime,
    fresh: Mapping[int, Sequence[HealthFact]],
    looking: Looking,
    *,
    with_circles: bool = True,
) -> list[Report]:
    ids = [cohort.id for cohort in cohorts]
    at = (workspace_of(cohorts), ids)
    members = facts.members(session, *at, now)
    pairs = facts.partnerships(session, *at, until=now)  # started by now, as they stood then
    theirs = left_out_pairs(pairs, looking)
    checkins = facts.checkins(session, *at)
    stored = facts.health(session, *at, with_reasons=looking.individual)
    escalations = facts.escalations(session, *at, leaving_out=theirs)
    circles = facts.circles(session, *at, now) if with_circles else {cohort_id: [] for cohort_id in ids}
    notes = facts.shared_notes(session, *at, now) if looking.individual and looking.decrypt else {}
    erased = facts.erased(session, *at) if looking.individual else {}
    reports = []
    for cohort in cohorts:
        kept = [pair for pair in pairs[cohort.id] if pair.id not in theirs]
        read = CohortFacts(
            members[cohort.id],
            kept,
            [row for row in checkins[cohort.id] if row.partnership_id not in theirs],
            [
                row
                for row in [*stored[cohort.id], *fresh.get(cohort.id, ())]
                if row.partnership_id not in theirs
            ],
            escalations[cohort.id],
            circles[cohort.id],
        )
        rows = None
        if looking.individual:
            shared = [note for note in notes.get(cohort.id, []) if note.partnership_id not in theirs]
            rows = _individual_rows(cohort, read, shared, erased.get(cohort.id, {}), looking, now)
        reports.append(assemble(cohort, now, read, rows, left_out=len(pairs[cohort.id]) - len(kept)))
    return reports


def _individual_rows(
    cohort: Cohort,
    read: CohortFacts,
    shared: list[SharedNote],
    erased: Mapping[int, datetime],
    looking: Looking,
    now: datetime,
) -> tuple[PartnershipRow, ...]:
    users = dict(looking.users)
    opened = (
        read_notes(shared, users, looking.decrypt, cohort.timezone)
        if looking.decrypt
        else OpenedNotes({}, {})
    )
    return partnership_rows(
        read.pairs,
        read.checkins,
        read.health,
        users,
        opened.notes,
        now,
        cohort.timezone,
        erased,
        unavailable=opened.unavailable,
    )


def authorized_cohort(
    session: Session, team_id: str, user_id: str | None, slug: str, *, is_admin: bool, individual: bool
) -> Cohort:
    """The cohort, if this person may see its report: its facilitators, or admins (no individual rows)."""
    cohort = require_cohort(session, team_id, slug.lower())
    facilitates = user_id is not None and is_facilitator(session, cohort.id, user_id)
    if not facilitates and (individual or not is_admin):
        raise NotAFacilitator(cohort.slug)
    return cohort


def check_report_allowed(
    uow: UnitOfWork, team_id: str, user_id: str, slug: str, *, is_admin: bool, individual: bool
) -> None:
    """Refuse (NotAFacilitator, CohortNotFound) before anything is prepared for someone who may not see it."""
    with uow:
        authorized_cohort(uow.session, team_id, user_id, slug, is_admin=is_admin, individual=individual)


def report_for(
    uow: UnitOfWork,
    team_id: str,
    user_id: str,
    slug: str,
    now: datetime,
    *,
    is_admin: bool,
    individual: bool,
    decrypt: Decrypt | None = None,
) -> Report:
    """The cohort's report for one person: its facilitators (individual rows only for them) and admins.

    Nothing of a pair this person is one of: it is left out, and the report says how many were. This week's
    states are worked out as of now, as the board shows them, and nothing is written: `uow` may only read.
    """
    with uow:
        session = uow.session
        cohort = authorized_cohort(session, team_id, user_id, slug, is_admin=is_admin, individual=individual)
        fresh = changes_now(session, [cohort.id], now)[cohort.id]
        return cohort_report(
            session, cohort, now, individual=individual, decrypt=decrypt, viewer=user_id, fresh=fresh
        )
