"""Write a cohort's report to a folder: a CSV file per table, PNG charts and an index.html showing them."""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from circles.persistence.db import Session, UnitOfWork
from circles.services.cohorts.lookup import require_cohort
from circles.services.reports.build import authorized_cohort, cohort_report
from circles.services.reports.charts import CHARTS
from circles.services.reports.figures import Report
from circles.services.reports.folder import drafted
from circles.services.reports.health_now import changes_now
from circles.services.reports.individual import Decrypt
from circles.services.reports.page import html_page
from circles.services.reports.tables import Table, tables


@dataclass(frozen=True)
class ReportFiles:
    """What was written, and the report it was written from."""

    folder: Path
    report: Report
    csv_files: dict[str, Path]  # by table name: "summary", "checkins", …
    charts: dict[str, Path]  # by name: "states_by_week", "checkins", "participation"
    index: Path

    @property
    def paths(self) -> list[Path]:
        return [*self.csv_files.values(), *self.charts.values(), self.index]

    def moved_to(self, folder: Path) -> ReportFiles:
        """The same files, once their folder was put in place as `folder`."""
        return ReportFiles(
            folder,
            self.report,
            {name: folder / path.relative_to(self.folder) for name, path in self.csv_files.items()},
            {name: folder / path.relative_to(self.folder) for name, path in self.charts.items()},
            folder / self.index.relative_to(self.folder),
        )


def write_report(
    source: UnitOfWork | Session,
    team_id: str,
    slug: str,
    out_dir: Path | str,
    now: datetime,
    *,
    individual: bool = False,
    as_user: str | None = None,
    decrypt: Decrypt | None = None,
    refresh_health: bool = True,
) -> ReportFiles:
    """Compute the cohort's report as of `now` and write it into `out_dir` (created when missing), whole
    or not at all (`folder.drafted`).

    Individual rows need `as_user`, a facilitator of the cohort (NotAFacilitator otherwise); shared notes
    appear in them only with `decrypt`. A report written as someone is refused unless they facilitate the
    cohort, and leaves out the pairs they are one of, as in Slack. With a Session the caller owns the
    transaction. Nothing is written to the database (a reading unit will do): `refresh_health` counts this
    week's states as of now, worked out as the health board does, and without it only the recorded health.
    """
    with session_of(source) as session:
        if individual or as_user is not None:
            cohort = authorized_cohort(session, team_id, as_user, slug, is_admin=False, individual=individual)
        else:
            cohort = require_cohort(session, team_id, slug.lower())
        fresh = changes_now(session, [cohort.id], now)[cohort.id] if refresh_health else []
        report = cohort_report(
            session, cohort, now, individual=individual, decrypt=decrypt, viewer=as_user, fresh=fresh
        )
    target = Path(out_dir)
    with drafted(target) as draft:
        written = write_files(report, draft)
    return written.moved_to(target)


def write_files(report: Report, folder: Path) -> ReportFiles:
    """Write the report's tables, charts and page into the folder; returns where each went. A report with
    individual rows (people, ratings, shared notes) is written readable by its owner only, every file of
    it: the page shows those rows too."""
    folder.mkdir(parents=True, exist_ok=True)
    private = report.individual is not None
    found = tables(report)
    csv_files = {}
    for table in found:
        path = folder / f"{table.name}.csv"
        _put(path, csv_bytes(table), private)
        csv_files[table.name] = path
    pictures = {name: draw(report) for name, draw in CHARTS.items()}
    charts = {}
    for name, png in pictures.items():
        path = folder / f"{name}.png"
        _put(path, png, private)
        charts[name] = path
    index = folder / "index.html"
    _put(index, html_page(report, found, pictures).encode("utf-8"), private)
    return ReportFiles(folder, report, csv_files, charts, index)


def _put(path: Path, content: bytes, private: bool) -> None:
    """Write the file; `private`: readable and writable by its owner only, even one that was there."""
    if not private:
        path.write_bytes(content)
        return
    handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(handle, "wb") as written:
        os.fchmod(written.fileno(), 0o600)  # an earlier, anonymous run's file kept its mode when reopened
        written.write(content)


def csv_bytes(table: Table) -> bytes:
    """One table as CSV (UTF-8, a header row, then a line per row)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(table.columns)
    writer.writerows(table.text_rows())
    return buffer.getvalue().encode("utf-8")


@contextmanager
def session_of(source: UnitOfWork | Session) -> Iterator[Session]:
    if isinstance(source, Session):
        yield source
        return
    with source as uow:
        yield uow.session
        uow.commit()
