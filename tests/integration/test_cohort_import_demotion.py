"""A cohort file that makes a coach or mentor a learner or a peer leaves their running partnerships as they
are, and its summary says so, with how many, in a dry run too; one question for any number of them."""

from __future__ import annotations

from circles.domain.cohort_file import parse_cohort_file
from circles.domain.vocabulary import PartnershipStatus, Role
from circles.persistence.db import Database
from circles.services.cohorts.file_import import ChangeKind, ImportReport, as_given, import_cohort
from tests.databases import counted
from tests.factories import NOW
from tests.integration.test_directory import pair, seed

PEOPLE = {
    "U0ANN": Role.LEARNER,
    "U0BEN": Role.LEARNER,
    "U0CAL": Role.LEARNER,
    "U0ADA": Role.COACH,
    "U0BOB": Role.COACH,
    "U0CY": Role.COACH,
}


def imported(
    db: Database, roles: dict[str, str], *, dry_run: bool = False, pairing: str = "coach_learner"
) -> ImportReport:
    members = "".join(f"  - {{user: {user}, role: {role}}}\n" for user, role in roles.items())
    text = (
        f"cohort:\n  slug: pgy1-spring\n  name: PGY1-SPRING\n  pairing: {pairing}\n"
        f"  facilitators: [U0FAC]\nmembers:\n{members}"
    )
    cohort = parse_cohort_file(text, "cohort.yml")
    return import_cohort(db.unit_of_work(), "T0001", cohort, as_given(cohort), now=NOW, dry_run=dry_run)


def roles_changed(report: ImportReport) -> dict[str, str]:
    return {c.subject: c.detail for c in report.changes if c.kind is ChangeKind.ROLE_CHANGED}


def test_a_coach_made_a_learner_is_reported_with_the_partnerships_that_go_on(db: Database) -> None:
    ids = seed(db, **PEOPLE)
    pair(db, ids, "U0ADA", "U0ANN", PartnershipStatus.ACTIVE)
    pair(db, ids, "U0ADA", "U0BEN", PartnershipStatus.PAUSED)
    pair(db, ids, "U0BOB", "U0CAL", PartnershipStatus.ACTIVE)
    pair(db, ids, "U0CY", "U0CAL", PartnershipStatus.ENDED)
    roles = {user: str(role) for user, role in PEOPLE.items()} | dict.fromkeys(
        ("U0ADA", "U0BOB", "U0CY"), "learner"
    )

    dry = imported(db, roles, dry_run=True)
    applied = imported(db, roles)

    for report in (dry, applied):
        assert roles_changed(report) == {
            "U0ADA": "coach → learner (still coaching 2 learners here: those partnerships go on until ended)",
            "U0BOB": "coach → learner (still coaching 1 learner here: that partnership goes on until ended)",
            "U0CY": "coach → learner",  # their one partnership had ended
        }
    assert roles_changed(imported(db, roles)) == {}  # the same file again: nothing changes, nothing said


def test_a_mentor_made_a_learner_is_still_mentoring(db: Database) -> None:
    ids = seed(db, U0ANN=Role.LEARNER, U0MAY=Role.MENTOR)
    pair(db, ids, "U0MAY", "U0ANN", PartnershipStatus.ACTIVE)
    report = imported(db, {"U0ANN": "learner", "U0MAY": "learner"}, pairing="mentor_learner")
    assert roles_changed(report) == {
        "U0MAY": "mentor → learner (still mentoring 1 learner here: that partnership goes on until ended)"
    }


def test_how_many_coaches_stop_guiding_takes_the_same_statements(db: Database) -> None:
    learners = {f"U0L{n}": Role.LEARNER for n in range(6)}
    coaches = {f"U0C{n}": Role.COACH for n in range(6)}
    ids = seed(db, **learners, **coaches)
    for n in range(6):
        pair(db, ids, f"U0C{n}", f"U0L{n}", PartnershipStatus.ACTIVE)
    roles = {user: "learner" for user in learners} | {user: "coach" for user in coaches}
    with counted(db) as one:
        imported(db, roles | {"U0C0": "learner"}, dry_run=True)
    with counted(db) as six:
        report = imported(db, roles | dict.fromkeys(coaches, "learner"), dry_run=True)
    assert len(roles_changed(report)) == 6
    assert len([s for s in six if "partnerships" in s]) == len([s for s in one if "partnerships" in s])
