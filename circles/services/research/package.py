"""The research export's files around the tables: the codebook, datapackage.json, the README and the ZIP."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Sequence
from typing import Any

from circles.domain.research.columns import SUPPRESSED, WITHHELD, Column, Table, cell
from circles.domain.research.suppression import K

CODEBOOK_COLUMNS = (
    Column("table", "string", "the table (CSV file without .csv) the variable is a column of"),
    Column("variable", "string", "the column's name"),
    Column("type", "string", "its type", "string, integer, number or boolean"),
    Column("meaning", "string", "what it holds"),
    Column("allowed", "string", "the values it may hold"),
)
# A fixed instant inside the ZIP, so the same data gives the same bytes.
_ZIP_TIME = (2020, 1, 1, 0, 0, 0)


# What README.txt says in place of a cohort's slug that holds a word of someone's name.
UNNAMED = "a cohort whose slug is left out (it holds a word of a name in the workspace)"


def codebook(tables: Sequence[Table]) -> Table:
    """One row per column of every table, the codebook's own included."""
    described = [*tables, Table("codebook", "Codebook", CODEBOOK_COLUMNS, [])]
    rows = [
        (table.name, column.name, column.type, column.meaning, column.allowed)
        for table in described
        for column in table.columns
    ]
    return Table("codebook", "Codebook: every column of every table", CODEBOOK_COLUMNS, list(rows))


def csv_bytes(table: Table) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(table.header)
    writer.writerows([cell(value) for value in row] for row in table.rows)
    return out.getvalue().encode("utf-8")


def datapackage(slug: str | None, tables: Sequence[Table]) -> dict[str, Any]:
    """A Frictionless tabular data package describing every CSV file; without a slug, the cohort unnamed."""
    return {
        "profile": "tabular-data-package",
        "name": f"circles-{slug}-research".replace("_", "-") if slug else "circles-research",
        "title": f"Circles research export: {slug}" if slug else "Circles research export",
        "resources": [_resource(table) for table in tables],
    }


def _resource(table: Table) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "fields": [_field(column) for column in table.columns],
        "missingValues": list(table.missing_values),
    }
    if table.primary_key:
        schema["primaryKey"] = list(table.primary_key)
    if table.foreign_keys:
        schema["foreignKeys"] = [
            {"fields": key.column, "reference": {"resource": key.table, "fields": key.table_column}}
            for key in table.foreign_keys
        ]
    return {
        "name": table.name.replace("_", "-"),
        "path": f"{table.name}.csv",
        "profile": "tabular-data-resource",
        "title": table.title,
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "schema": schema,
    }


def _field(column: Column) -> dict[str, Any]:
    field: dict[str, Any] = {"name": column.name, "type": column.type, "description": column.meaning}
    if column.values:
        field["constraints"] = {"enum": list(column.values)}
    return field


def readme(
    slug: str | None, statement_version: str, tables: Sequence[Table], people: int, unreadable: int = 0
) -> str:
    """What the package is and how it was made, for whoever receives it; without a slug, the cohort
    unnamed. `unreadable`: answers whose shared words the notes key could not open."""
    lost = f"{unreadable} answer{'' if unreadable == 1 else 's'}" if unreadable else "none"
    files = "\n".join(f"  {table.name}.csv  {table.title} ({len(table.rows)} rows)" for table in tables)
    return f"""Circles research export: {f"cohort {slug}" if slug else UNNAMED}

What this is
  Data from a Circles mentoring and peer-support cohort, for research, about the {people} members who
  consented to research use and whose consent stood when the export was made. Members who did not
  consent, or withdrew, are left out. The cohort's research statement is at version {statement_version};
  people.csv gives the version each member consented to.

Files
{files}
  codebook.csv  every column of every table: type, meaning, allowed values
  datapackage.json  the same as a Frictionless tabular data package

IDs
  person_id and partnership_id are pseudonyms: a keyed hash (HMAC-SHA256) of the person's account in
  this cohort (of the pair, for partnerships). The key stays in the installation that made the export,
  so they cannot be traced back from this package; the same person keeps the same ID in later exports
  of this cohort. No names, Slack IDs, email addresses or notes appear anywhere; survey words appear
  only where their author chose to share them for research.

Partners who did not consent
  A partnership appears when at least one partner consented; the other partner then reads
  "not_consented". Health changes and escalations concern both partners, so they appear only for
  pairs where both consented.

Survey versions
  A survey row gives the version of the instrument its member answered. The codebook describes each
  instrument as its file is now: a row answered to another (older) version keeps its person, phase and
  week, but its items, words and scores are left empty rather than read against questions or scales
  that may have changed.

Dates
  Every date is coarsened to its ISO week (e.g. 2027-W03) in the cohort's time zone.

Row-level tables
  Every table but summary.csv is row-level: a row for each consenting member, pair, check-in, survey
  answer, health change or escalation, under pseudonymous IDs. checkins.csv has every check-in of every
  consenting member (person_id, week, answered) and people.csv each one's role, so whoever holds the
  package can count from them how many had a check-in due in a week and role and how many answered,
  the counts summary.csv hides among them (where the week and role are not "{SUPPRESSED}" there).
  What protects these rows is consent, the pseudonyms and the rare values below; summary.csv's
  suppression does not reach them. Their rows are in the order of their first column's ID, then of
  their other columns, so where a row stands says nothing of when anyone joined, answered or was paired.

Small cells
  Suppression in summary.csv protects summary.csv's own figures only, not counts made from the
  row-level tables. In summary.csv a figure about fewer than {K} people reads "{SUPPRESSED}", and so
  does any other figure that would let a hidden one be worked out from the totals (alone, or several
  hidden ones together counting fewer than {K}), or from both columns side by side (nobody answers
  without a check-in due), and any "members" figure that, less the "answered" one beside it, would
  count fewer than {K} people who did not answer (but some). Its rows are every role of the cohort and
  every week a check-in fell due, whether or not anyone who consented is in them. A mean rating is
  shown only where at least {K} people gave it.

Rare values
  In the other tables a week (or an empty week), a role, a status, a pair's kind or end reason, a
  survey phase, a health state or an escalation outcome that fewer than {K} of the table's people (or
  pairs) share reads "{SUPPRESSED}", so the one person who joined late or the only mentor cannot be
  picked out. "{SUPPRESSED}" itself is never left to fewer than {K} of them: the rarest value still
  shown is suppressed too until it is not. A pair's kind reads "{SUPPRESSED}" whenever either
  partner's role does, and both partners' roles whenever the kind does, since each gives the other
  away. Values common one by one can be rare together (the one mentor among those who joined in a
  week): a row's values, with what people.csv or partnerships.csv shows of its person or pair, are
  shared by at least {K} of them, or more of them read "{SUPPRESSED}". Ratings, yes/no answers and
  survey items and scores are never suppressed.

Words
  A member's own words (a survey's free-text answer they chose to share for research) that held what
  could identify someone read "{WITHHELD}", and nothing of them is kept: a word of any name in the
  workspace (so "I will" is withheld where someone is called Will), an email address or a Slack ID.
  Words shared for research but sealed under a notes key the installation has since replaced could not
  be opened: their cells are empty, as for an item not answered or not shared. In this package: {lost}.
  A text that starts with =, +, -, @ or a tab is written after an apostrophe (') so a spreadsheet shows
  it rather than running it as a formula; line breaks inside a text are written as one newline.
"""


def zip_bytes(files: dict[str, bytes]) -> bytes:
    """The files in one ZIP, always in the same order and with the same timestamps."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(zipfile.ZipInfo(name, _ZIP_TIME), content, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def package_files(
    slug: str | None, statement_version: str, tables: Sequence[Table], people: int, *, unreadable: int = 0
) -> dict[str, bytes]:
    """Every file of the export by name: the tables, the codebook, datapackage.json and README.txt; the
    cohort's slug in the last two, unless it is None (left out); README.txt says how many answers' words
    could not be opened (`unreadable`)."""
    every = [*tables, codebook(tables)]
    files = {f"{table.name}.csv": csv_bytes(table) for table in every}
    files["datapackage.json"] = json.dumps(datapackage(slug, every), indent=2).encode("utf-8")
    files["README.txt"] = readme(slug, statement_version, every, people, unreadable).encode("utf-8")
    return files
