"""What a rota that replaces the stored one takes away: imported blocks of members within its days that it no
longer holds; never a block over already, one outside its days, or anyone else's."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from circles.domain.availability import AbsenceKind
from circles.domain.rotations import (
    Block,
    Held,
    Members,
    RowProblem,
    assign_people,
    holding_back,
    read_rotations,
    replaced,
    sort_people,
)

ROTATION, LEAVE = AbsenceKind.ROTATION, AbsenceKind.LEAVE
MEMBERS = frozenset({"U0ANN", "U0BEN"})


def at(month: int, day: int) -> datetime:
    return datetime(2027, month, day, 6, tzinfo=UTC)


def block(user: str, start: datetime, end: datetime, kind: AbsenceKind = ROTATION) -> Block:
    return Block("row 2", user, start, end, kind)


FILE = [block("U0ANN", at(2, 1), at(3, 1)), block("U0BEN", at(4, 1), at(5, 1), LEAVE)]  # Feb to April


def gone(held: list[Held], now: datetime | None = None) -> list[tuple[str, datetime, bool]]:
    removals = replaced(FILE, held, MEMBERS, now or at(1, 15))
    return [(r.user_id, r.starts_at, r.running) for r in removals]


def test_a_block_the_file_holds_stays_and_one_it_does_not_hold_goes() -> None:
    held = [Held("U0ANN", at(2, 1), at(2, 20), ROTATION), Held("U0BEN", at(3, 1), at(3, 20), ROTATION)]
    assert gone(held) == [("U0BEN", at(3, 1), False)]


def test_another_kind_or_start_is_another_block_and_goes() -> None:
    held = [Held("U0ANN", at(2, 1), at(3, 1), LEAVE), Held("U0BEN", at(4, 2), at(5, 1), LEAVE)]
    assert gone(held) == [("U0ANN", at(2, 1), False), ("U0BEN", at(4, 2), False)]


def test_only_blocks_overlapping_the_files_days_go() -> None:
    held = [
        Held("U0ANN", at(1, 20), at(2, 1), ROTATION),  # back the day the file begins
        Held("U0ANN", at(1, 25), at(2, 3), LEAVE),  # into its first days
        Held("U0BEN", at(5, 1), at(5, 9), ROTATION),  # starts the day the file ends
    ]
    assert gone(held) == [("U0ANN", at(1, 25), False)]


def test_a_running_block_ends_and_one_over_already_stays() -> None:
    held = [Held("U0ANN", at(1, 1), at(2, 10), LEAVE), Held("U0BEN", at(2, 1), at(2, 5), LEAVE)]
    assert gone(held, now=at(2, 7)) == [("U0ANN", at(1, 1), True)]


def test_blocks_of_people_not_members_stay_and_an_empty_file_takes_nothing_away() -> None:
    held = [Held("U0ZED", at(2, 1), at(2, 10), LEAVE)]
    assert gone(held) == []
    assert replaced([], [Held("U0ANN", at(2, 1), at(2, 10), LEAVE)], MEMBERS, at(1, 1)) == []


def test_every_row_in_error_holds_the_file_back_but_those_of_people_outside_the_cohort() -> None:
    typo = RowProblem("row 3", "unknown email: no one in Slack has the email ann@hospitl.org")
    outsider = RowProblem(
        "row 4", "not a member: zed@hospital.org (U0ZED) is not a member of pgy1", outside=True
    )
    assert holding_back([typo, outsider]) == [typo]
    assert holding_back([outsider]) == []


def test_a_shared_rotas_rows_of_other_cohorts_people_hold_nothing_back_and_a_mistyped_email_does() -> None:
    data = (
        b"email,start,end\nann@hospital.org,2027-02-01,2027-02-28\nzed@hospital.org,2027-02-01,2027-02-28\n"
        b"ben@hospitl.org,2027-02-01,2027-02-28\n"
    )
    rotations = read_rotations(data, "rota.csv", ZoneInfo("America/Chicago"))
    members = Members("pgy1", {"ann@hospital.org": "U0ANN", "ben@hospital.org": "U0BEN"}, MEMBERS)
    people = sort_people(rotations.emails(), members, {"zed@hospital.org": "U0ZED"}.get)
    _, problems = assign_people(rotations, people.found, people.refused, people.outside)
    assert [problem.where for problem in holding_back(problems)] == ["row 4"]
