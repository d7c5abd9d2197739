"""The research export's tables from plain rows: who is in, pairs, weeks, the codebook and the package."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from circles.domain import vocabulary as v
from circles.domain.health.signals import Answer
from circles.domain.research.columns import NOT_CONSENTED, SUPPRESSED
from circles.domain.research.consent import ConsentRecord, Decision
from circles.queries.reports.facts import HealthFact
from circles.queries.research import CheckInRow, MemberRow, PartnershipRow, SurveyAnswerRow
from circles.services.research import consented as c
from circles.services.research import export_tables as t
from circles.services.research.package import package_files, zip_bytes
from circles.services.research.summary_table import summary_table
from circles.services.research.survey_table import survey_table

NOW = datetime(2027, 3, 1, 9, tzinfo=UTC)
START = datetime(2027, 1, 4, 9, tzinfo=UTC)  # a Monday: 2027-W01
COHORT = c.Cohort(7, ZoneInfo("Pacific/Auckland"), b"k" * 32)


def member(number: int, role: v.Role = v.Role.PEER) -> MemberRow:
    return MemberRow(number, f"U{number:09d}", role, v.MemberStatus.ACTIVE, START, None)


def given(at: datetime = START, version: str = "1") -> list[ConsentRecord]:
    return [ConsentRecord(Decision.GIVEN, at, version)]


def pair(number: int, first: int, second: int) -> PartnershipRow:
    return PartnershipRow(
        number,
        v.PartnershipKind.PEER,
        first,
        second,
        START,
        START + timedelta(days=30),
        v.EndReason.COMPLETED,
    )


def test_only_members_whose_consent_stands_now_are_included() -> None:
    members = [member(1), member(2), member(3), member(4)]
    withdrawn = [*given(), ConsentRecord(Decision.WITHDRAWN, START + timedelta(days=3), "1")]
    later = given(NOW + timedelta(days=1))
    consents = {"U000000001": given(version="2"), "U000000002": withdrawn, "U000000003": later}
    second_statement = replace(COHORT, statement_version="2")
    who = c.included(second_statement, members, consents, NOW)
    assert list(who.people) == [1]
    assert who.left_out == 3
    [row] = t.people_table(second_statement, members, who).rows
    assert row[0] == who.people[1]
    assert row[0].startswith("P-")
    assert row[1:] == ("peer", "2027-W01", None, "active", "2")


def test_consent_to_an_earlier_statement_does_not_count_once_the_statement_changed() -> None:
    members = [member(1), member(2)]
    consents = {"U000000001": given(version="1"), "U000000002": given(version="2")}
    who = c.included(replace(COHORT, statement_version="2"), members, consents, NOW)
    assert list(who.people) == [2]
    assert who.left_out == 1


def test_a_partner_without_consent_is_not_consented_and_the_pair_has_no_health_or_escalations() -> None:
    members = [member(1), member(2), member(3)]
    who = c.included(COHORT, members, {"U000000001": given(), "U000000003": given()}, NOW)
    pairs = [pair(10, 1, 2), pair(11, 1, 3)]
    ids = c.pair_ids(COHORT, members, pairs)
    table = t.partnerships_table(COHORT, pairs, ids, who)
    by_id = {row[0]: row for row in table.rows}
    assert by_id[ids[10]][2:4] == (who.people[1], NOT_CONSENTED)
    assert by_id[ids[11]][2:4] == (who.people[1], who.people[3])
    assert by_id[ids[10]][4:] == ("2027-W01", "2027-W05", "completed")
    history = [
        HealthFact(10, START, v.PartnershipHealthState.STEADY),
        HealthFact(11, START, v.PartnershipHealthState.STEADY),
        HealthFact(11, START + timedelta(days=8), v.PartnershipHealthState.STRUGGLING),
    ]
    both = c.both_consented(pairs, who)
    health = t.health_table(COHORT, history, ids, both)
    assert health.rows == [
        (ids[11], "2027-W01", "none", "steady"),
        (ids[11], "2027-W02", "steady", "struggling"),
    ]


def test_checkins_keep_no_note_and_weeks_follow_the_cohort_time_zone() -> None:
    members = [member(1), member(2)]
    who = c.included(COHORT, members, {"U000000001": given()}, NOW)
    pairs = [pair(10, 1, 2)]
    ids = c.pair_ids(COHORT, members, pairs)
    sunday_night_utc = datetime(2027, 1, 10, 20, tzinfo=UTC)  # Monday morning in Auckland: 2027-W02
    checkins = [
        CheckInRow(10, Answer(1, sunday_night_utc, sunday_night_utc, 4, True, False)),
        CheckInRow(10, Answer(2, sunday_night_utc, sunday_night_utc, 2, False, True)),
    ]
    table = t.checkins_table(COHORT, checkins, ids, who)
    assert table.rows == [(who.people[1], ids[10], "2027-W02", True, 4, True, False)]


def test_the_summary_hides_cells_under_five_people() -> None:
    members = [member(n) for n in range(1, 9)]
    who = c.included(COHORT, members, {m.user_id: given() for m in members}, NOW)
    checkins = [
        CheckInRow(10, Answer(n, START, START if n <= 3 else None, 5, True, False)) for n in range(1, 9)
    ]
    table = summary_table(COHORT, members, checkins, who)
    rows = {(row[0], row[1]): row[2:] for row in table.rows}
    assert rows[("2027-W01", "peer")] == (8, SUPPRESSED, SUPPRESSED)


def test_survey_answers_have_a_column_per_item_and_the_scores() -> None:
    members = [member(1), member(2)]
    who = c.included(COHORT, members, {"U000000001": given()}, NOW)
    answers = {"fit_in": 3, "myself": 4, "cared_for": 5, "connected": 4}
    rows = [
        SurveyAnswerRow(request, number, "belonging", 1, v.SurveyPhase.BASELINE, START, item, value, None)
        for request, number in ((5, 1), (6, 2))
        for item, value in answers.items()
    ]
    table = survey_table(COHORT, rows, who, decrypt=None)
    [row] = table.rows  # member 2 did not consent
    values = dict(zip(table.header, row, strict=True))
    assert values["person_id"] == who.people[1]
    assert (values["phase"], values["week"], values["instrument_version"]) == ("baseline", "2027-W01", 1)
    assert values["belonging_fit_in"] == 3
    assert values["belonging_connected"] == 4
    assert values["belonging_belonging_score"] == 4.0
    assert values["belonging_total"] == 4.0


def test_the_codebook_covers_every_column_and_the_package_matches_every_header() -> None:
    members = [member(1), member(2)]
    who = c.included(COHORT, members, {"U000000001": given()}, NOW)
    pairs = [pair(10, 1, 2)]
    ids = c.pair_ids(COHORT, members, pairs)
    tables = [
        t.people_table(COHORT, members, who),
        t.partnerships_table(COHORT, pairs, ids, who),
        t.checkins_table(COHORT, [], ids, who),
        survey_table(COHORT, [], who, None),
        t.health_table(COHORT, [], ids, set()),
        t.escalations_table(COHORT, [], ids, set()),
        summary_table(COHORT, members, [], who),
    ]
    archive = zipfile.ZipFile(io.BytesIO(zip_bytes(package_files("spring", "1", tables, 1))))
    described = {
        (r["table"], r["variable"])
        for r in csv.DictReader(io.StringIO(archive.read("codebook.csv").decode()))
    }
    package = json.loads(archive.read("datapackage.json"))
    assert package["profile"] == "tabular-data-package"
    for resource in package["resources"]:
        header = next(csv.reader(io.StringIO(archive.read(resource["path"]).decode())))
        assert [field["name"] for field in resource["schema"]["fields"]] == header
        assert {(resource["path"][:-4], name) for name in header} <= described
    assert "README.txt" in archive.namelist()


def test_an_export_as_of_an_earlier_instant_leaves_out_a_member_who_has_withdrawn_since() -> None:
    members = [member(1), member(2)]
    withdrawn_later = [*given(), ConsentRecord(Decision.WITHDRAWN, NOW + timedelta(days=2), "1")]
    who = c.included(COHORT, members, {"U000000001": given(), "U000000002": withdrawn_later}, NOW)
    assert list(who.people) == [1]
    assert who.left_out == 1


def test_the_summary_never_shows_two_figures_whose_difference_is_under_five_who_did_not_answer() -> None:
    members = [member(n, v.Role.COACH if n <= 6 else v.Role.LEARNER) for n in range(1, 13)]
    who = c.included(COHORT, members, {m.user_id: given() for m in members}, NOW)
    checkins = [
        CheckInRow(100 + n, Answer(n, START, None if n in (1, 7) else START, 4, True, False))
        for n in range(1, 13)
    ]
    table = summary_table(COHORT, members, checkins, who)
    for row in table.rows:
        due, answered = row[2], row[3]
        if isinstance(due, int) and isinstance(answered, int):
            assert due == answered or due - answered >= 5, row
    assert {row[3] for row in table.rows} == {5, 10}  # the answered figures and their means stay
