"""Import a cohort file into a workspace: the cohort, its settings, facilitators and members.

`import_cohort` makes the stored cohort match a parsed file (`circles.domain.cohort_file`) in one
transaction, given who each person the file names is in Slack (`SlackPerson`; `as_given` when the
file names everyone by user ID), and reports each change (`ImportReport`); a dry run makes the same
changes, then rolls them back. Members the file leaves out are kept; what a file does not write
(quiet hours, blackout dates, and the survey plan or research statement when left out) stays.
"""

from circles.services.cohorts.file_import.apply import import_cohort
from circles.services.cohorts.file_import.report import Change, ChangeKind, ImportReport
from circles.services.cohorts.file_import.slack_people import SlackPerson, as_given

__all__ = ["Change", "ChangeKind", "ImportReport", "SlackPerson", "as_given", "import_cohort"]
