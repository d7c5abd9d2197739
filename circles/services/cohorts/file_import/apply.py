"""Import a cohort file: compare it with what is stored and apply the differences in one transaction."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from circles.domain.cohort_file import CohortFile
from circles.persistence.db import UnitOfWork
from circles.queries.cohorts import facilitator_ids
from circles.services.cohorts.config import set_facilitators
from circles.services.cohorts.file_import.cohort import file_cohort
from circles.services.cohorts.file_import.members import file_members
from circles.services.cohorts.file_import.report import Change, ChangeKind, ImportReport
from circles.services.cohorts.file_import.slack_people import SlackPerson
from circles.services.escalations.notes import Decrypt
from circles.services.escalations.sending import Admins
from circles.services.planning.replan import replan


def import_cohort(
    uow: UnitOfWork,
    team_id: str,
    cohort_file: CohortFile,
    people: Mapping[str, SlackPerson],
    *,
    now: datetime,
    dry_run: bool = False,
    decrypt: Decrypt | None = None,
    admins: Admins = (),
) -> ImportReport:
    """Make the stored cohort match the file; a dry run makes the same changes, then rolls them back.

    An alert claimed by a facilitator the file leaves out goes to the `admins` when no other may hear it.
    """
    # `people` answers who each PersonRef.key of the file is; the caller asked Slack (or took IDs as given).
    with uow:
        session = uow.session
        listed = [people[entry.person.key].user_id for entry in cohort_file.members]
        cohort, changes, kept_completed = file_cohort(session, team_id, cohort_file, listed, now)
        wanted = list(dict.fromkeys(people[ref.key].user_id for ref in cohort_file.facilitators))
        current = facilitator_ids(session, cohort.id)
        changes += [Change(ChangeKind.FACILITATOR_ADDED, user) for user in wanted if user not in current]
        changes += [Change(ChangeKind.FACILITATOR_REMOVED, user) for user in current if user not in wanted]
        # The new ones get waiting alerts.
        set_facilitators(session, cohort, wanted, now, admins=admins, decrypt=decrypt)
        if set(wanted) != set(current):
            cohort.settings_saved_by = None  # a settings form opened before shows other facilitators
        member_changes, not_in_file, welcomed = file_members(
            session, cohort, cohort_file.members, people, now
        )
        changes += member_changes
        applied = bool(changes) and not dry_run
        if applied:
            replan(session, [cohort.id], digests=True, moved_at=now)  # its day or time zone, perhaps
            uow.commit()
    return ImportReport(
        team_id, cohort_file.slug, changes, not_in_file, applied, welcomed, tuple(kept_completed)
    )
