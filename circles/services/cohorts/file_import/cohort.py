"""The cohort a file names: created from it, or its settings brought in line with the file's."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import fields
from datetime import datetime

from circles.domain.cohort_file import CohortFile, CohortFileInvalid, FileProblem
from circles.domain.cohort_file.schema import SETTING_KEYS, WORDINGS
from circles.domain.cohort_rules import WEEKDAYS, CohortSettings, undated_plan
from circles.domain.cohort_settings import PHASES
from circles.persistence.db import Session
from circles.persistence.models import Cohort
from circles.queries.cohorts import hold_for_change, live_cohort, slug_taken
from circles.queries.members import hold_people
from circles.queries.profiles import hold_profiles
from circles.services.cohorts.file_import.report import Change, ChangeKind
from circles.services.cohorts.intervals import keep_earlier_interval
from circles.services.cohorts.settings_row import apply_settings, settings_of
from circles.services.cohorts.start import moved_start_problem
from circles.services.health.due import look_at_cohort
from circles.services.intake.workspaces import find_workspace, workspace_for_request
from circles.services.partnerships.endings import KeptCompleted, carry_on_if_extended, guides_for_end

CREATED_BY = "import"  # the cohort came from a file, not from someone in Slack
NOT_IN_FILES = ("quiet_hours", "blackout_dates")  # the settings form's alone
UNDATED = (
    "the stored survey plan has half-way or end surveys, which need starts_on and ends_on: "
    "add them, or `surveys: {}` to plan none"
)


def file_cohort(
    session: Session, team_id: str, cohort_file: CohortFile, listed: Sequence[str], now: datetime
) -> tuple[Cohort, list[Change], list[KeptCompleted]]:
    """The file's cohort, created, or its settings changed to the file's; what changed; and the pairs its end
    moved later left completed, their guides having no room for them."""
    workspace = find_workspace(session, team_id) or workspace_for_request(session, team_id, now)
    # Imports into one workspace take turns (SQLite's writers always do): one that waited reads what the
    # other wrote, so two imports of a new cohort at once create it once and the second applies the file to
    # it, as a second import does. NO KEY UPDATE leaves rows that point at the workspace free to be written.
    session.refresh(workspace, with_for_update={"key_share": True})
    # Then the file's people's profiles, their memberships (of every cohort) with its cohort's, in one
    # statement in id order, and the cohort: the order a round's confirmation, an accepted request, a leave,
    # a join, an erasure or a settings form takes them, so they take turns and never deadlock. An erasure of
    # one of them (profile, then memberships) is waited for, and then this adds them afresh; one that comes
    # second finds them in the cohort and refuses. Someone without a profile is held by their memberships.
    # The file's end moved later lets pairs carry on in their guides' places: their profiles too, at once.
    found = live_cohort(session, workspace.id, cohort_file.slug)
    guides = guides_for_end(session, found, cohort_file.settings.ends_on) if found is not None else []
    hold_profiles(session, workspace.id, [*listed, *guides])
    cohort = live_cohort(session, workspace.id, cohort_file.slug)
    if cohort is None:
        hold_people(session, workspace.id, listed)
        if slug_taken(session, workspace.id, cohort_file.slug):  # archived cohorts keep their slug
            message = f"`{cohort_file.slug}` belongs to an archived cohort; choose another slug"
            raise CohortFileInvalid([FileProblem(cohort_file.file, cohort_file.slug_line, "slug", message)])
        cohort = Cohort(
            workspace_id=workspace.id, slug=cohort_file.slug, created_by=CREATED_BY, created_at=now
        )
        apply_settings(cohort, cohort_file.settings)
        session.add(cohort)
        session.flush()
        return cohort, [Change(ChangeKind.COHORT_CREATED, cohort_file.slug, cohort_file.settings.name)], []
    hold_for_change(session, cohort, listed)  # read as it now stands
    kept = settings_of(cohort)
    # Settings a file does not write (quiet hours, blackout dates) stay as the settings form left them.
    unwritten = (*NOT_IN_FILES, *cohort_file.unwritten)
    wanted = cohort_file.settings.with_changes(**{name: getattr(kept, name) for name in unwritten})
    if "survey_plan" in unwritten and undated_plan(wanted):  # the rules, on what would be saved
        raise CohortFileInvalid([FileProblem(cohort_file.file, cohort_file.slug_line, "surveys", UNDATED)])
    # As on the settings form: once prompts went, a start moved would send them again or skip them.
    moved = moved_start_problem(session, cohort, wanted.starts_on)
    if moved:
        file, line = cohort_file.file, cohort_file.slug_line
        raise CohortFileInvalid([FileProblem(file, line, SETTING_KEYS[k], m) for k, m in moved.items()])
    before, after = _shown(kept), _shown(wanted)
    changes = [
        Change(ChangeKind.SETTING_CHANGED, key, f"{before[key]} → {after[key]}")
        for key in after
        if before[key] != after[key]
    ]
    kept_completed: list[KeptCompleted] = []
    if changes:
        old_end = cohort.ends_on
        keep_earlier_interval(cohort, wanted, now)
        apply_settings(cohort, wanted)
        cohort.settings_saved_by = None  # the file's settings: any form opened before is out of date
        kept_completed = carry_on_if_extended(session, cohort, old_end, now)
        look_at_cohort(session, cohort.id, now)
    return cohort, changes, kept_completed


def _shown(settings: CohortSettings) -> dict[str, str]:
    """Each setting as the file writes it, keyed as in the file."""
    values = {
        item.name: getattr(settings, item.name)
        for item in fields(settings)
        if item.name not in ("thresholds", "survey_plan") and item.name not in NOT_IN_FILES
    }
    values |= settings.thresholds.to_json()
    for phase in PHASES:
        values[f"survey_{phase}"] = ", ".join(getattr(settings.survey_plan, phase)) or None
    values["prompt_weekday"] = WEEKDAYS[settings.prompt_weekday].lower()
    values["prompt_local_time"] = settings.prompt_local_time.strftime("%H:%M")
    return {SETTING_KEYS[name]: _shown_value(name, value) for name, value in values.items()}


def _shown_value(name: str, value: object) -> str:
    if value is None:
        return "default wording" if name in WORDINGS else "none"
    return f'"{value}"' if name in WORDINGS else str(value)
