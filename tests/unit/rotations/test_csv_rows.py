"""CSV rotations: days in the cohort's time zone, the last day included, and a reason for every bad row."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from circles.domain.availability import AbsenceKind
from circles.domain.rotations import MAX_ROWS, RotationFileRefused, RotationRow, RowProblem, read_rotations

CHICAGO = ZoneInfo("America/Chicago")
LONDON = ZoneInfo("Europe/London")


def read(text: str, zone: ZoneInfo = CHICAGO) -> list[RotationRow | RowProblem]:
    return list(read_rotations(text.encode(), "rota.csv", zone).entries)


def utc(year: int, month: int, day: int, hour: int = 0) -> datetime:
    return datetime(year, month, day, hour, tzinfo=UTC)


def test_a_row_is_away_from_local_midnight_of_start_until_local_midnight_after_the_last_day() -> None:
    [row] = read("email,start,end,kind\nAnn@Hospital.org,2027-01-04,2027-01-17,rotation\n")
    assert row == RotationRow(
        "row 2", "ann@hospital.org", utc(2027, 1, 4, 6), utc(2027, 1, 18, 6), AbsenceKind.ROTATION
    )


def test_a_block_across_the_spring_clock_change_ends_at_local_midnight_an_hour_sooner_in_utc() -> None:
    [row] = read("email,start,end,kind\nann@hospital.org,2027-03-27,2027-03-28,leave\n", LONDON)
    assert isinstance(row, RotationRow)
    assert (row.starts_at, row.ends_at) == (utc(2027, 3, 27), utc(2027, 3, 28, 23))
    assert row.ends_at - row.starts_at == timedelta(hours=47)  # two local days, one of 23 hours
    assert row.ends_at.astimezone(LONDON).hour == 0


def test_a_block_across_the_autumn_clock_change_lasts_a_day_and_an_hour_more() -> None:
    [row] = read("email,start,end,kind\nann@hospital.org,2027-11-07,2027-11-07,away\n")
    assert isinstance(row, RotationRow)
    assert row.ends_at - row.starts_at == timedelta(hours=25)
    assert row.kind is AbsenceKind.AWAY


def test_columns_in_any_order_with_extra_ones_and_no_kind_mean_rotation() -> None:
    [row] = read("notes,end,email,start\nsite B,2027-02-01,ann@hospital.org,2027-01-25\n")
    assert isinstance(row, RotationRow)
    assert row.kind is AbsenceKind.ROTATION
    assert row.ends_at == utc(2027, 2, 2, 6)


def test_each_bad_row_says_what_was_not_understood_by_its_row_number() -> None:
    rows = read(
        "email,start,end,kind\n"
        "ann@hospital.org,2027-01-04,2027-01-10,rotation\n"
        "\n"
        "ben@hospital.org,2027-02-30,2027-03-01,rotation\n"
        "cat@hospital.org,2027-01-10,2027-01-04,leave\n"
        "dan@hospital.org,2027-01-01,2028-01-01,leave\n"
        "eve@hospital.org,2027-01-04,2027-01-05,holiday\n"
        "not-an-email,20270104,,rotation\n"
    )
    assert [str(row) for row in rows[1:]] == [
        "row 4: bad date: start '2027-02-30' is not a date (YYYY-MM-DD)",
        "row 5: end 2027-01-04 is before start 2027-01-10",
        "row 6: over a year long (2027-01-01 to 2028-01-01): give it as blocks of a year at most",
        "row 7: unknown kind 'holiday': use rotation, leave, away",
        "row 8: 'not-an-email' is not an email address; bad date: start '20270104' is not a date "
        "(YYYY-MM-DD); no end date (YYYY-MM-DD)",
    ]


def test_a_whole_year_to_the_day_is_allowed() -> None:
    [row] = read("email,start,end\nann@hospital.org,2027-01-01,2027-12-31\n")
    assert isinstance(row, RotationRow)


def test_a_file_without_the_header_is_refused_whole() -> None:
    with pytest.raises(RotationFileRefused, match="no start, end column"):
        read("email,from,to\nann@hospital.org,2027-01-01,2027-01-02\n")


def test_an_empty_file_or_one_with_only_a_header_is_refused() -> None:
    with pytest.raises(RotationFileRefused, match="empty"):
        read("")
    with pytest.raises(RotationFileRefused, match="no rows"):
        read("email,start,end,kind\n")


def test_more_rows_than_the_limit_are_refused_whole() -> None:
    line = "ann@hospital.org,2027-01-01,2027-01-02,rotation\n"
    assert len(read("email,start,end,kind\n" + line * MAX_ROWS)) == MAX_ROWS
    with pytest.raises(RotationFileRefused, match="more than 10,000 rows"):
        read("email,start,end,kind\n" + line * (MAX_ROWS + 1))


def test_a_file_over_five_megabytes_or_not_utf8_is_refused_whole() -> None:
    with pytest.raises(RotationFileRefused, match="larger than 5 MB"):
        read_rotations(b"email,start,end\n" + b" " * (5 * 1024 * 1024), "rota.csv", CHICAGO)
    with pytest.raises(RotationFileRefused, match="not UTF-8"):
        read_rotations(b"email,start,end\n\xff\xfe", "rota.csv", CHICAGO)


def test_a_spreadsheets_byte_order_mark_and_crlf_lines_are_understood() -> None:
    data = "\ufeffEmail,Start,End,Kind\r\nann@hospital.org,2027-01-04,2027-01-04,Leave\r\n".encode()
    [row] = read_rotations(data, "rota.csv", CHICAGO).entries
    assert isinstance(row, RotationRow)
    assert row.kind is AbsenceKind.LEAVE


@pytest.mark.parametrize("rows", [1_000, 5_000], ids=["within-the-cell-limit", "past-the-cell-limit"])
def test_a_quote_never_closed_refuses_the_whole_file_by_the_row_it_opens_on_and_no_one_elses_address(
    rows: int,
) -> None:
    lines = [f"r{n}@hospital.org,2027-01-04,2027-01-10" for n in range(rows)]
    lines[1] = '"' + lines[1]  # on line 3: the csv reader would take every line after it into this cell
    with pytest.raises(RotationFileRefused) as refused:
        read("email,start,end\n" + "\n".join(lines) + "\n")
    said = str(refused.value)
    assert said.startswith("row 3: a quote opened here is never closed")
    assert "@" not in said


def test_a_quoted_cell_holding_a_line_break_refuses_the_file_by_the_row_it_starts_on() -> None:
    with pytest.raises(RotationFileRefused, match=r"^row 3: a quote opened here is never closed"):
        read(
            "email,start,end,kind,notes\n"
            "ann@hospital.org,2027-01-04,2027-01-10,rotation,\n"
            'ben@hospital.org,2027-01-04,2027-01-10,rotation,"ward 3\nsite B"\n'
            "cat@hospital.org,2027-01-04,2027-01-10,rotation,\n"
        )


def test_rows_after_blank_lines_and_a_quoted_comma_are_named_by_their_own_lines() -> None:
    rows = read('email,start,end,kind\n\n"ann@hospital.org",2027-01-04,2027-01-10,"rota,tion"\n\n\nx,,,\n')
    assert [row.where for row in rows] == ["row 3", "row 6"]


def test_a_long_cell_is_said_back_cut_short_so_a_problem_holds_no_other_rows() -> None:
    crowded = " ".join(f"r{n}@hospital.org" for n in range(20))
    [row] = read(f"email,start,end,kind\n{crowded},2027-01-04,{crowded},{crowded}\n")
    assert isinstance(row, RowProblem)
    said = str(row)
    assert f"{crowded[:60]}…' is not an email address" in said
    assert f"unknown kind '{crowded[:60]}…'" in said
    assert "r4@hospital.org" not in said
