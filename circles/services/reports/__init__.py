"""Evaluation reports for a cohort's facilitators: anonymous counts, individual rows only on request."""

from circles.services.reports.build import (
    authorized_cohort,
    check_report_allowed,
    cohort_report,
    report_for,
)
from circles.services.reports.charts import participation_chart, response_chart, states_chart
from circles.services.reports.compare import compare_cohorts, write_comparison
from circles.services.reports.figures import Report
from circles.services.reports.files import ReportFiles, csv_bytes, write_files, write_report
from circles.services.reports.individual import Decrypt
from circles.services.reports.tables import Table, tables

__all__ = [
    "Decrypt",
    "Report",
    "ReportFiles",
    "Table",
    "authorized_cohort",
    "check_report_allowed",
    "cohort_report",
    "compare_cohorts",
    "csv_bytes",
    "participation_chart",
    "report_for",
    "response_chart",
    "states_chart",
    "tables",
    "write_comparison",
    "write_files",
    "write_report",
]
