"""The research export of a cohort in its real shape: 96 members over three rounds, withdrawals between
rounds, a member erased after leaving, a changed research statement, a few mentors, uneven answering."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update

from circles.domain.research.consent import Decision
from circles.domain.research.suppression import K
from circles.domain.vocabulary import MemberStatus, PartnershipKind, Role
from circles.persistence.db import Database, Session
from circles.persistence.models import Cohort, Member, Profile
from circles.queries.consents import record_decision
from circles.services.people.erasure import erase_personal_data
from circles.services.research.export import ResearchExport, research_export
from tests import factories
from tests.shared_worlds import BOTH, shared

START = datetime(2027, 1, 4, 9, tzinfo=UTC)
ROUNDS = (START, START + timedelta(weeks=4), START + timedelta(weeks=8))
NOW = START + timedelta(weeks=11)
KEY = b"research-key" * 3
WITHDRAWN = [f"U0L{n:06d}" for n in range(4)]  # withdrew after the first round
ERASED = "U0L000010"  # left after the first round and asked to be erased
NOT_AGAIN = [f"U0C{n:06d}" for n in range(20, 27)]  # did not agree to the changed statement
MENTORS = [f"U0M{n:06d}" for n in range(3)]  # only three: their role is a small group


def user(n: int, role: str) -> str:
    return f"U0{role}{n:06d}"


@pytest.fixture(scope="module", params=BOTH)
def three_rounds(request: pytest.FixtureRequest) -> Iterator[Database]:
    """The cohort, built once for the module's tests, which only read it (an export writes nothing)."""
    with shared(request) as db:
        build(db)
        yield db


def build(db: Database) -> None:
    """45 coaches with 45 learners in pairs of one round at a time, three mentors with three learners
    in the last round; a check-in each in every round, a few learners not answering in round two."""
    with db.unit_of_work() as uow:
        session = uow.session
        ws = factories.workspace(session)
        co = factories.cohort(session, ws, "pgy1", at=START)
        coaches = [
            factories.member(session, co, user(n, "C"), Role.COACH, at=START, flush=False) for n in range(45)
        ]
        learners = [factories.member(session, co, user(n, "L"), at=START, flush=False) for n in range(45)]
        late = [factories.member(session, co, user(n, "L"), at=ROUNDS[2], flush=False) for n in range(45, 48)]
        mentors = [factories.member(session, co, u, Role.MENTOR, at=ROUNDS[2], flush=False) for u in MENTORS]
        people = [*coaches, *learners, *late, *mentors]
        session.flush()
        session.add_all(
            Profile(
                workspace_id=ws.id,
                slack_user_id=m.slack_user_id,
                display_name=f"Resident{m.id} Surname{m.id}",
                email=f"resident{m.id}@hospital.example",
                updated_at=START,
            )
            for m in people
        )
        for number, due in enumerate(ROUNDS):
            pairs = []
            for n, coach in enumerate(coaches):
                learner = learners[(n + number) % len(learners)]
                if number and learner.slack_user_id == ERASED:
                    continue
                pairs.append(
                    (n, learner, factories.pair(session, coach, learner, started_at=due, flush=False))
                )
            session.flush()
            for n, learner, pairing in pairs:
                silent = number == 1 and 30 <= n < 33
                session.add(factories.checkin(pairing, coaches[n].id, due, 4))
                session.add(factories.checkin(pairing, learner.id, due, None if silent else 3))
        mentored = [
            factories.pair(
                session,
                mentor,
                learner,
                kind=PartnershipKind.MENTOR_LEARNER,
                started_at=ROUNDS[2],
                flush=False,
            )
            for mentor, learner in zip(mentors, late, strict=True)
        ]
        session.flush()
        for mentor, learner, pairing in zip(mentors, late, mentored, strict=True):
            session.add_all(factories.checkin(pairing, m.id, ROUNDS[2], 5) for m in (mentor, learner))
        decide(session, co, [m.slack_user_id for m in people], Decision.GIVEN, START)
        withdrawn_at = ROUNDS[1] - timedelta(days=1)
        decide(session, co, WITHDRAWN, Decision.WITHDRAWN, withdrawn_at)
        session.execute(
            update(Member)
            .where(Member.slack_user_id == ERASED)
            .values(status=MemberStatus.LEFT, left_at=ROUNDS[1])
        )
        # The statement changes before the third round; all but a few agree to it again.
        session.execute(update(Cohort).values(research_statement_version="2"))
        again = [m.slack_user_id for m in people if m.slack_user_id not in {*WITHDRAWN, ERASED, *NOT_AGAIN}]
        decide(session, co, again, Decision.GIVEN, ROUNDS[2])
        uow.commit()
    assert erase_personal_data(db.unit_of_work(), "T0001", ERASED, NOW)


def decide(session: Session, co: Cohort, users: list[str], decision: Decision, at: datetime) -> None:
    """Record each person's decision as `/circles consent` does, to the statement standing at `at`."""
    for user_id in users:
        record_decision(session, co, user_id, decision, at)


def export(db: Database) -> ResearchExport:
    return research_export(db.unit_of_work(), "T0001", "pgy1", NOW, key=KEY)


def files(made: ResearchExport) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(made.content)) as archive:
        return {name: archive.read(name).decode("utf-8") for name in archive.namelist()}


def rows(made: ResearchExport, name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(files(made)[f"{name}.csv"])))


def test_only_members_whose_consent_to_the_current_statement_stands_are_in_the_export(
    three_rounds: Database,
) -> None:
    made = export(three_rounds)
    left_out = len({*WITHDRAWN, ERASED, *NOT_AGAIN})
    assert (made.included, made.left_out) == (96 - left_out, left_out)
    assert {row["consent_version"] for row in rows(made, "people")} == {"2"}


def test_nothing_in_the_zip_names_anyone_or_carries_a_slack_id(three_rounds: Database) -> None:
    made = export(three_rounds)
    everything = "\n".join(files(made).values())
    assert not re.search(r"U0[CLM]\d{6}", everything)
    assert "Resident" not in everything
    assert "Surname" not in everything
    assert "hospital.example" not in everything


def test_each_person_keeps_one_id_across_exports_and_within_every_table(three_rounds: Database) -> None:
    first, second = export(three_rounds), export(three_rounds)
    people = [row["person_id"] for row in rows(first, "people")]
    assert len(set(people)) == len(people) == first.included
    assert people == [row["person_id"] for row in rows(second, "people")]
    assert {row["person_id"] for row in rows(first, "checkins")} <= set(people)


def test_the_only_three_mentors_read_suppressed_wherever_their_role_or_pair_kind_shows(
    three_rounds: Database,
) -> None:
    made = export(three_rounds)
    assert "mentor" not in {row["role"] for row in rows(made, "people")}
    assert "mentor_learner" not in {row["kind"] for row in rows(made, "partnerships")}


def test_the_summary_lists_the_cohorts_roles_so_its_labels_do_not_say_a_small_group_consented(
    three_rounds: Database,
) -> None:
    """The mentors' rows are there whether one of them consented or none: the labels tell nothing."""
    summary = rows(export(three_rounds), "summary")
    assert {row["role"] for row in summary} == {"coach", "learner", "mentor", "all"}
    mentors = [row for row in summary if row["role"] == "mentor"]
    assert {(row["members"], row["answered"]) for row in mentors} == {("suppressed", "suppressed")}


def test_the_summary_figures_side_by_side_never_pin_the_three_mentors(three_rounds: Database) -> None:
    """Nobody answers without a check-in due: the coaches due and the learners answering, beside a week's
    totals, would pin the mentors hidden in both to exactly three."""
    for row in figures_by_week(rows(export(three_rounds), "summary")).values():
        members, answered = row["members"], row["answered"]
        if "suppressed" in (members["all"], answered["all"]):
            continue
        hidden = [role for role, value in members.items() if value == "suppressed"]
        unanswered = [role for role, value in answered.items() if value == "suppressed"]
        shown = [role for role in members if role not in [*hidden, "all"]]
        most_hidden = int(members["all"]) - sum(int(members[role]) for role in shown)
        # a role hidden among members, shown among the answered, bounds the others from below
        known_low = sum(int(answered[r]) for r in hidden if r not in unanswered)
        assert most_hidden - known_low >= K or not set(hidden) & set(unanswered), row


def figures_by_week(summary: list[dict[str, str]]) -> dict[str, dict[str, dict[str, str]]]:
    weeks: dict[str, dict[str, dict[str, str]]] = defaultdict(lambda: defaultdict(dict))
    for row in summary:
        for column in ("members", "answered"):
            weeks[row["week"]][column][row["role"]] = row[column]
    return weeks


def test_no_summary_figure_counts_fewer_than_five_people_or_gives_a_hidden_one_away(
    three_rounds: Database,
) -> None:
    summary = rows(export(three_rounds), "summary")
    figures: dict[str, dict[tuple[str, str], str]] = defaultdict(dict)
    for row in summary:
        for column in ("members", "answered"):
            figures[column][(row["week"], row["role"])] = row[column]
    for column, cells in figures.items():
        shown = [int(value) for value in cells.values() if value != "suppressed"]
        assert all(value >= K for value in shown), column
        for side in (0, 1):
            for label in {place[side] for place in cells}:
                line = [value for place, value in cells.items() if place[side] == label]
                assert line.count("suppressed") != 1, (column, side, label)
    for place, members in figures["members"].items():
        answered = figures["answered"][place]
        if "suppressed" not in (members, answered):
            assert not 0 < int(members) - int(answered) < K, place


def test_row_level_weeks_and_roles_are_each_shared_by_five_people_or_pairs(three_rounds: Database) -> None:
    made = export(three_rounds)
    for name, unit, columns in (
        ("people", "person_id", ("role", "joined_week", "left_week", "status")),
        ("checkins", "person_id", ("week",)),
        ("partnerships", "partnership_id", ("kind", "started_week", "ended_week", "end_reason")),
    ):
        for column in columns:
            holders: dict[str, set[str]] = defaultdict(set)
            for row in rows(made, name):
                holders[row[column]].add(row[unit])
            assert all(len(found) >= K for found in holders.values()), (name, column, holders.keys())
