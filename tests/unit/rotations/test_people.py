"""Who a rotations file's emails are: members by profile email, else Slack's answer, and repeated rows."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from circles.domain.rotations import Members, assign_people, find_people, read_rotations

MEMBERS = Members("pgy1", {"ann@hospital.org": "U0ANN"}, frozenset({"U0ANN", "U0BEN"}))


class FakeSlack:
    """Slack's directory by email, recording each question asked of it."""

    def __init__(self, directory: dict[str, str]) -> None:
        self.directory = directory
        self.asked: list[str] = []

    def __call__(self, email: str) -> str | None:
        self.asked.append(email)
        return self.directory.get(email)


def test_members_are_found_by_profile_then_slack_is_asked_once_for_each_other_email() -> None:
    slack = FakeSlack({"ben@hospital.org": "U0BEN", "zed@hospital.org": "U0ZED"})
    emails = [
        "ann@hospital.org",
        "ben@hospital.org",
        "ben@hospital.org",
        "zed@hospital.org",
        "who@hospital.org",
    ]
    found, refused = find_people(emails, MEMBERS, slack)
    assert found == {"ann@hospital.org": "U0ANN", "ben@hospital.org": "U0BEN"}
    assert refused == {
        "zed@hospital.org": "not a member: zed@hospital.org (U0ZED) is not a member of pgy1",
        "who@hospital.org": "unknown email: no one in Slack has the email who@hospital.org",
    }
    assert slack.asked == ["ben@hospital.org", "zed@hospital.org", "who@hospital.org"]


def test_without_slack_only_profile_emails_are_known() -> None:
    found, refused = find_people(["ann@hospital.org", "ben@hospital.org"], MEMBERS, None)
    assert found == {"ann@hospital.org": "U0ANN"}
    assert list(refused) == ["ben@hospital.org"]


def test_rows_become_blocks_and_problems_keep_the_files_order_with_repeats_named() -> None:
    rotations = read_rotations(
        b"email,start,end,kind\n"
        b"ann@hospital.org,2027-01-04,2027-01-10,rotation\n"
        b"who@hospital.org,2027-01-04,2027-01-10,rotation\n"
        b"ann@hospital.org,2027-01-04,2027-01-20,rotation\n"
        b"ann@hospital.org,2027-01-04,2027-01-10,leave\n"
        b"ben@hospital.org,2027-01-04,bad,rotation\n",
        "rota.csv",
        ZoneInfo("UTC"),
    )
    found, refused = find_people(rotations.emails(), MEMBERS, FakeSlack({}))
    blocks, problems = assign_people(rotations, found, refused)
    assert [(block.where, block.user_id, block.kind.value) for block in blocks] == [
        ("row 2", "U0ANN", "rotation"),
        ("row 5", "U0ANN", "leave"),
    ]
    assert [str(problem) for problem in problems] == [
        "row 3: unknown email: no one in Slack has the email who@hospital.org",
        "row 4: duplicate of row 2: the same person, start and kind",
        "row 6: bad date: end 'bad' is not a date (YYYY-MM-DD)",
    ]
