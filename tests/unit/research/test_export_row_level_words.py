"""What the research export says of its row-level tables: checkins.csv holds every check-in of each
consenting member, so summary.csv's suppression protects summary.csv's own figures, not counts made
from those rows; the README.txt and the codebook say so."""

from __future__ import annotations

import csv
import io
import zipfile

from circles.domain.health.signals import Answer
from circles.domain.vocabulary import Role
from circles.queries.research import CheckInRow
from circles.services.research import consented as c
from circles.services.research import export_tables as t
from circles.services.research.package import package_files, zip_bytes
from circles.services.research.summary_table import summary_table
from tests.unit.research.test_export_tables import COHORT, NOW, START, given, member


def archive() -> zipfile.ZipFile:
    """An export where summary.csv hides a members figure that checkins.csv's rows still give."""
    members = [member(n, Role.COACH if n <= 6 else Role.LEARNER) for n in range(1, 13)]
    who = c.included(COHORT, members, {m.user_id: given() for m in members}, NOW)
    unanswered = (1, 7)  # one coach and one learner: 1 did not answer where 6 were due
    checkins = [
        CheckInRow(100, Answer(n, START, None if n in unanswered else START, 4, True, False))
        for n in range(1, 13)
    ]
    ids = {100: "P-pair"}
    tables = [t.checkins_table(COHORT, checkins, ids, who), summary_table(COHORT, members, checkins, who)]
    return zipfile.ZipFile(io.BytesIO(zip_bytes(package_files("spring", "1", tables, len(who.people)))))


def test_the_readme_says_checkins_are_row_level_and_the_summary_hides_only_its_own_figures() -> None:
    readme = " ".join(archive().read("README.txt").decode().split())
    assert "checkins.csv has every check-in of every consenting member (person_id, week, answered)" in readme
    assert "the counts summary.csv hides among them" in readme
    assert (
        "Suppression in summary.csv protects summary.csv's own figures only, not counts made from the "
        "row-level tables." in readme
    )


def test_the_codebook_says_the_same_of_the_summary_and_of_the_check_ins() -> None:
    book = {
        (row["table"], row["variable"]): row
        for row in csv.DictReader(io.StringIO(archive().read("codebook.csv").decode()))
    }
    for figure in ("members", "answered"):
        assert (
            "hides this figure here only, not the count one can make from checkins.csv's rows"
            in (book["summary", figure]["allowed"])
        )
    assert "not suppressed as summary.csv's figures are" in book["checkins", "answered"]["meaning"]


def test_a_members_figure_the_summary_hides_is_a_count_of_the_check_ins_rows() -> None:
    # Why the words above: the rows are allowed (consent, pseudonyms), and they give the hidden figure.
    package = archive()
    summary = list(csv.DictReader(io.StringIO(package.read("summary.csv").decode())))
    rows = list(csv.DictReader(io.StringIO(package.read("checkins.csv").decode())))
    assert {row["members"] for row in summary} == {"suppressed"}
    assert len({row["person_id"] for row in rows if row["week"] == "2027-W01"}) == 12
