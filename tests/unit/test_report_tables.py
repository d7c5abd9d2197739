"""Individual rows, the tables the files are written from, the charts and the facilitator's summary."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from bot.views.report import report_summary
from circles.domain.vocabulary import (
    EndReason,
    PartnershipHealthState,
    PartnershipKind,
    PartnershipStatus,
    Role,
)
from circles.notes import NoteUnreadable
from circles.queries.reports.facts import CheckInFact, HealthFact, PartnershipFact
from circles.services.reports import csv_bytes, states_chart, tables
from circles.services.reports.charts import CHARTS
from circles.services.reports.figures import (
    Endings,
    EscalationFigures,
    EscalationWeek,
    ParticipationWeek,
    Report,
    ResponseWeek,
    RoleCount,
    StatesWeek,
)
from circles.services.reports.individual import opened_notes, partnership_rows
from circles.services.reports.rows import CircleRow
from circles.services.reports.tables import text

MONDAY = datetime(2027, 3, 1, tzinfo=UTC)
WEEK1, WEEK2 = date(2027, 3, 1), date(2027, 3, 8)


def small_report(**changes: Any) -> Report:
    report = Report(
        slug="pgy1",
        cohort_name="PGY-1 <residents>",
        timezone="UTC",
        generated_at=MONDAY + timedelta(days=9),
        members=(RoleCount(Role.COACH, 2, 0, 0), RoleCount(Role.LEARNER, 3, 1, 1)),
        participation=(ParticipationWeek(WEEK1, 6, 0, 6), ParticipationWeek(WEEK2, 1, 1, 6)),
        checkins=(ResponseWeek(WEEK1, 0, 0), ResponseWeek(WEEK2, 8, 6)),
        states=(StatesWeek(WEEK1, 1, 2, 0, 0, 0), StatesWeek(WEEK2, 1, 1, 1, 1, 1)),
        escalations=EscalationFigures(
            2, 2, 1, 1, timedelta(hours=3), timedelta(hours=50), (EscalationWeek(WEEK2, 2, 2, 1),)
        ),
        endings=Endings(4, 0, 1, 1, 0, 1, 0, 0),
        circles=(CircleRow("circle-pgy1-r1-1", 1, WEEK1, None, 7, 6, 0, 1, 3, 1, 1, 0),),
    )
    return replace(report, **changes)


def test_cells_are_written_plainly_and_free_text_never_runs_as_a_spreadsheet_formula() -> None:
    assert text(None) == ""
    assert text(2 / 3) == "0.6667"
    assert text(timedelta(minutes=90)) == "1.50"
    assert text(date(2027, 3, 1)) == "2027-03-01"
    assert text(EndReason.NO_FAULT) == "no_fault"
    assert text(True) == "yes"
    assert text('=HYPERLINK("http://example.com")') == '\'=HYPERLINK("http://example.com")'
    assert text("-1 for this") == "'-1 for this"
    assert text(("first", "second")) == "first\nsecond"


def test_the_anonymous_tables_name_nobody_and_individual_rows_come_only_when_present() -> None:
    names = [table.name for table in tables(small_report())]
    assert names == [
        *("summary", "members", "participation", "checkins"),
        *("states_by_week", "escalations", "endings", "circles"),
    ]
    summary = dict(tables(small_report())[0].text_rows())
    assert summary["retention"] == "0.8571"  # 6 of 7 still in
    assert summary["response_rate"] == "0.7500"
    assert summary["median_first_response_hours"] == "3.00"
    assert summary["partnerships_ended_early"] == "2"
    assert summary["prompt_delivery_rate"] == "0.6000"


def test_a_csv_file_has_a_header_row_then_a_line_per_row() -> None:
    [checkins] = [table for table in tables(small_report()) if table.name == "checkins"]
    assert csv_bytes(checkins).decode() == "week,due,answered,rate\n2027-03-01,0,0,\n2027-03-08,8,6,0.7500\n"


def pair(number: int, first: int, second: int) -> PartnershipFact:
    return PartnershipFact(
        number, PartnershipKind.COACH_LEARNER, PartnershipStatus.ACTIVE, None, MONDAY, None, first, second
    )


def test_individual_rows_show_each_partners_latest_rating_and_the_pairs_latest_state() -> None:
    now = MONDAY + timedelta(days=20)
    checkins = [
        CheckInFact(1, 10, MONDAY + timedelta(days=7), MONDAY + timedelta(days=7), 5),
        CheckInFact(1, 10, MONDAY + timedelta(days=14), MONDAY + timedelta(days=15), 2),
        CheckInFact(1, 11, MONDAY + timedelta(days=7), MONDAY + timedelta(days=8), 4),
        CheckInFact(1, 11, MONDAY + timedelta(days=14), None, None),
        CheckInFact(1, 11, MONDAY + timedelta(days=28), None, None),  # not due yet
    ]
    health = [
        HealthFact(1, MONDAY + timedelta(days=8), PartnershipHealthState.STEADY, ()),
        HealthFact(1, MONDAY + timedelta(days=15), PartnershipHealthState.NEEDS_ATTENTION, ("ratings fell",)),
    ]
    users = {10: "U0COACH", 11: "U0LEARN", 20: "U0C2", 21: "U0L2"}
    rows = partnership_rows(
        [pair(1, 10, 11), pair(2, 20, 21)], checkins, health, users, {1: ("a note",)}, now, "UTC"
    )
    first, second = rows
    assert (first.first_user_id, first.second_user_id) == ("U0COACH", "U0LEARN")
    assert (first.state, first.reasons) == ("needs_attention", ("ratings fell",))
    assert (first.checkins_due, first.checkins_answered) == (4, 3)
    assert (first.first_latest_rating, first.second_latest_rating) == (2, 4)
    assert first.shared_notes == ("a note",)
    assert (second.state, second.checkins_due, second.shared_notes) == ("not_assessed", 0, ())


def test_a_shared_note_that_no_longer_opens_is_left_out_and_the_rest_still_show(
    caplog: pytest.LogCaptureFixture,
) -> None:
    def decrypt(token: bytes) -> str:
        if token == b"broken":
            raise NoteUnreadable()  # what the notes key says of a note written under another key
        return token.decode()

    notes = [
        (1, MONDAY, 10, b"broken"),
        (1, MONDAY + timedelta(days=7), 11, b"Thank you"),
    ]
    assert opened_notes(notes, {10: "U0A", 11: "U0B"}, decrypt, "UTC") == {1: ("2027-03-08 U0B: Thank you",)}
    assert "Thank you" not in caplog.text


def test_the_state_chart_is_a_png_drawn_the_same_every_time() -> None:
    report = small_report()
    png = states_chart(report)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert states_chart(report) == png


def test_the_summary_gives_the_key_figures_in_a_few_lines_and_names_nobody() -> None:
    message = report_summary(small_report())
    text_shown = json.dumps(message.block_dicts(), ensure_ascii=False)
    assert message.text == "Report for PGY-1 &lt;residents&gt;"  # notifications read it as mrkdwn too
    summary = message.block_dicts()[1]["text"]["text"]  # type: ignore[index]
    assert summary.splitlines() == [
        "*Members:* 7 joined, 6 still in (86%): 5 active, 1 paused, 1 left.",
        "*Check-ins:* 6 of 8 answered (75%).",
        "*Partnerships now:* :red_circle: 1 struggling · :large_orange_circle: 1 need attention · "
        ":large_blue_circle: 1 steady · :large_green_circle: 1 thriving · 1 not assessed yet.",
        "*Escalations:* 2 opened, 2 taken up, 1 resolved; "
        "first response after 3 h (median), 2.1 days on average.",
        "*Partnerships so far:* 1 completed, 2 ended early (1 no-fault ending, 1 re-matched); "
        "4 running, 0 paused.",
        "*Circles:* 1 formed, 6 of their members still active; 3 prompts delivered, 2 not delivered.",
    ]
    assert "`/circles report pgy1 individual`" in text_shown
    assert "<residents>" not in text_shown.replace('"text": "Report: PGY-1 <residents>"', "")


def test_an_empty_cohort_reads_as_nothing_yet_rather_than_zeros() -> None:
    empty = small_report(
        members=(),
        checkins=(ResponseWeek(WEEK1, 0, 0),),
        states=(StatesWeek(WEEK1, 0, 0, 0, 0, 0),),
        escalations=EscalationFigures(0, 0, 0, 0, None, None, ()),
        endings=Endings(0, 0, 0, 0, 0, 0, 0, 0),
        circles=(),
    )
    summary = report_summary(empty).block_dicts()[1]["text"]["text"]  # type: ignore[index]
    assert summary.splitlines() == [
        "*Members:* nobody has joined yet.",
        "*Check-ins:* none due yet.",
        "*Partnerships now:* none running.",
        "*Escalations:* none opened.",
        "*Partnerships so far:* none formed yet.",
        "*Circles:* none formed yet.",
    ]


@pytest.mark.parametrize("name", ["Finance $$ team", "Savings $5-$10", r"Residents \frac{1}{2}"])
def test_a_cohort_name_with_dollar_signs_draws_every_chart_as_words(name: str) -> None:
    report = replace(small_report(), cohort_name=name)
    for chart in CHARTS.values():
        assert chart(report).startswith(b"\x89PNG\r\n\x1a\n")  # before: "$$" raised, and no chart came
