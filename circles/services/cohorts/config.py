"""Create and configure cohorts; only admins create them, only their facilitators (or admins) change them.

Finding a cohort by slug is in circles.services.cohorts.lookup; its row read as settings and written back,
in circles.services.cohorts.settings_row."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from circles.domain.cohort_rules import CohortSettings, settings_problems, slug_problem
from circles.domain.cohort_rules.start import StartKept
from circles.errors import (
    CohortSettingsChanged,
    InvalidCohortSettings,
    InvalidSlug,
    NotAllowedToCreateCohorts,
    SlugTaken,
)
from circles.persistence.db import Session, UnitOfWork
from circles.persistence.models import Cohort, Facilitator
from circles.queries import cohorts
from circles.queries.workspaces import is_organisation
from circles.services.cohorts.digest import settings_digest
from circles.services.cohorts.intervals import keep_earlier_interval
from circles.services.cohorts.lookup import facilitated_cohort
from circles.services.cohorts.settings_row import apply_settings, settings_of
from circles.services.cohorts.start import moved_start_problem, start_kept
from circles.services.escalations.newcomers import hand_over
from circles.services.escalations.notes import Decrypt
from circles.services.escalations.released import release_claims
from circles.services.escalations.sending import Admins
from circles.services.escalations.withdrawn import withdraw_copies_of
from circles.services.health.due import look_at_cohort
from circles.services.intake.workspaces import workspace_for_request
from circles.services.partnerships.endings import KeptCompleted, carry_on_if_extended, hold_guides_for_end
from circles.services.planning.replan import replan


@dataclass(frozen=True)
class CohortConfig:
    slug: str
    settings: CohortSettings
    facilitators: list[str]
    digest: str = ""  # of the stored settings and facilitators: what a form opened with them was shown
    kept_completed: tuple[KeptCompleted, ...] = ()  # pairs an end moved later left completed: no room
    start_kept: StartKept | None = None  # the start its rhythm, begun, keeps; None: it may still move


def create_cohort(
    uow: UnitOfWork,
    team_id: str,
    slug: str,
    name: str,
    *,
    creator: str,
    creator_is_admin: bool,
    now: datetime,
) -> CohortConfig:
    """Create a cohort with default settings; the creator becomes its first facilitator."""
    if not creator_is_admin:
        raise NotAllowedToCreateCohorts()
    problem = slug_problem(slug)
    if problem:
        raise InvalidSlug(problem)
    settings = CohortSettings(name=name.strip())
    problems = settings_problems(settings)
    if problems:
        raise InvalidCohortSettings(problems)
    with uow:
        workspace = workspace_for_request(uow.session, team_id, now)
        if cohorts.slug_taken(uow.session, workspace.id, slug):  # archived cohorts keep their slug
            raise SlugTaken(slug)
        cohort = Cohort(workspace_id=workspace.id, slug=slug, created_by=creator, created_at=now)
        apply_settings(cohort, settings)
        if not cohorts.add_cohort_once(uow.session, cohort):  # created at the same moment elsewhere
            raise SlugTaken(slug)
        uow.session.add(
            Facilitator(workspace_id=workspace.id, cohort_id=cohort.id, slack_user_id=creator, added_at=now)
        )
        uow.commit()
    return CohortConfig(slug, settings, [creator])


def cohort_config(uow: UnitOfWork, team_id: str, slug: str, *, user_id: str, is_admin: bool) -> CohortConfig:
    """A cohort's settings, for its facilitators and admins only."""
    with uow:
        cohort = facilitated_cohort(uow.session, team_id, slug, user_id, is_admin)
        facilitators = cohorts.facilitator_ids(uow.session, cohort.id)
        digest = settings_digest(cohort, facilitators)
        kept = start_kept(uow.session, cohort)
        return CohortConfig(cohort.slug, settings_of(cohort), facilitators, digest, start_kept=kept)


def configure_cohort(
    uow: UnitOfWork,
    team_id: str,
    slug: str,
    settings: CohortSettings,
    facilitators: Collection[str],
    *,
    user_id: str,
    is_admin: bool,
    now: datetime,
    known_tracks: frozenset[str] | None = None,
    known_surveys: Collection[str] | None = None,
    keep: Collection[str] = (),
    decrypt: Decrypt | None = None,
    opened_as: str | None = None,
    admins: Admins = (),
) -> CohortConfig:
    """Save new settings and facilitators after checking who asks and every rule.

    `opened_as` is the digest of the settings the form was opened with: when someone else has changed
    them since, CohortSettingsChanged, and nothing is written (None: not known, as from an older form).
    A facilitator added is sent the cohort's unresolved alerts in the same transaction; `decrypt` opens
    the notes partners shared, as on the others' copies; an alert claimed by one taken off goes to the
    `admins` when no facilitator left may hear of it. An end moved later lets the pairs completed at the
    old one carry on, as many as their guides have room for (`kept_completed`: the others).
    """
    with uow:
        cohort = facilitated_cohort(uow.session, team_id, slug, user_id, is_admin)
        # Where circles meet depends on the tenant (an organisation's in group DMs): sizes are checked there.
        organisation = is_organisation(uow.session, cohort.workspace_id)
        hold_guides_for_end(uow.session, cohort, settings.ends_on)  # their profiles before the cohort
        cohorts.hold_for_change(uow.session, cohort)  # two saves at once: the second sees the first's
        saved_since = settings_digest(cohort, cohorts.facilitator_ids(uow.session, cohort.id)) != opened_as
        # Only the same person's form opened on the same state as their last save passes as theirs: one
        # opened before someone else's save, and kept open past their own later one, would undo both.
        own = cohort.settings_saved_by == user_id and cohort.settings_saved_from == opened_as
        if opened_as is not None and saved_since and not own:
            raise CohortSettingsChanged(cohort.slug)
        stored = settings_of(cohort)  # `keep`: settings a form sent before it had them leaves as stored
        settings = settings.with_changes(**{name: getattr(stored, name) for name in keep})
        # The rules see what is saved: a kept plan of half-way surveys needs the dates the form sends.
        problems = settings_problems(
            settings, known_tracks, now.date(), known_surveys, organisation=organisation, kept=keep
        )
        if not facilitators:
            problems["facilitators"] = "A cohort needs at least one facilitator."
        if "starts_on" not in problems:  # once prompts went, moved, they would repeat or be skipped
            problems.update(moved_start_problem(uow.session, cohort, settings.starts_on))
        if problems:
            raise InvalidCohortSettings(problems)
        old_end = cohort.ends_on
        keep_earlier_interval(cohort, settings, now)
        apply_settings(cohort, settings)
        cohort.settings_saved_by, cohort.settings_saved_from = user_id, opened_as
        kept = carry_on_if_extended(uow.session, cohort, old_end, now)
        look_at_cohort(uow.session, cohort.id, now)
        set_facilitators(uow.session, cohort, facilitators, now, admins=admins, decrypt=decrypt)
        replan(uow.session, [cohort.id], digests=True, moved_at=now)  # its day or time zone, perhaps
        uow.commit()
        return CohortConfig(slug, settings, sorted(set(facilitators)), kept_completed=tuple(kept))


def set_facilitators(
    session: Session,
    cohort: Cohort,
    wanted: Collection[str],
    now: datetime,
    *,
    admins: Admins,
    decrypt: Decrypt | None = None,
) -> None:
    """Make exactly these people the cohort's facilitators: alerts claimed by those taken off are open again
    before those who stay and are present (or the `admins` at once, with none), their copies of its alerts
    are redrawn without the pairs, and those new to it are sent its unresolved alerts."""
    existing = cohorts.facilitator_ids(session, cohort.id)
    leaving = [user_id for user_id in existing if user_id not in wanted]
    cohorts.remove_facilitators(session, cohort.id, leaving)
    # Once they are off: the alerts go to those who stay, and their own copies are left to be withdrawn.
    # Before newcomers are handed the alerts, which then show nobody reaching out.
    release_claims(session, cohort, leaving, now, admins=admins, decrypt=decrypt)
    withdraw_copies_of(session, cohort, leaving, now)  # their DMs keep nothing of the pairs
    added = sorted(set(wanted) - set(existing))
    hand_over(session, cohort, added, now, decrypt=decrypt)
    for user_id in added:
        session.add(
            Facilitator(
                workspace_id=cohort.workspace_id, cohort_id=cohort.id, slack_user_id=user_id, added_at=now
            )
        )
