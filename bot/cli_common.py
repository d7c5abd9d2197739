"""What every `circles` subcommand shares: how it fails, the database it opens, the workspace it names."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError

from circles.domain.cohort_rules.slugs import typed_slug
from circles.domain.tenants import is_organisation_key, is_tenant_key
from circles.errors import CohortNotFound
from circles.notes_check import check_notes_key
from circles.notes_key import stored_notes_key
from circles.persistence import migrate
from circles.persistence.db import Database
from circles.persistence.trouble import explain, sqlite_file
from circles.services.intake.workspaces import tenants_holding
from circles.settings import Settings, SettingsError

EXIT_PROBLEMS = 2  # a problem a person can fix: settings, arguments, files, the database
SHOWN_TENANTS = 5  # tenants a line names before "and N more"


class Refused(Exception):
    """A command cannot do its work, for one reason a person can fix (said in one line)."""


def fail(lines: Iterable[str]) -> int:
    """Say why on stderr, a `circles:` line each, and give the exit status for it."""
    for line in lines:
        print(f"circles: {line}", file=sys.stderr)
    return EXIT_PROBLEMS


def schema_problem(db: Database) -> str | None:
    """Bring a SQLite database up to date, as `circles run` does; any other must be upgraded on purpose."""
    if db.engine.dialect.name == "sqlite":
        migrate.upgrade(db.engine)
    elif not migrate.is_up_to_date(db.engine):
        return "the database schema is not up to date: run `circles db upgrade` first"
    return None


def missing_sqlite_file(settings: Settings) -> Path | None:
    """The SQLite file the settings name, when it does not exist yet; None otherwise."""
    try:
        url = make_url(settings.database_url)
    except ArgumentError:  # not a URL at all: opening it says so
        return None
    path = sqlite_file(url) if url.get_backend_name() == "sqlite" else None
    return path if path is not None and not path.exists() else None


@contextmanager
def opened(settings: Settings, *, existing: bool = False) -> Iterator[Database]:
    """The database with its schema checked; Refused when the schema is behind or the database unreachable.

    `existing`: a command that only reads, or works on what is stored, refuses a SQLite file that is not
    there rather than leave a new, empty one behind (run from the wrong folder, say)."""
    if existing and (missing := missing_sqlite_file(settings)) is not None:
        raise Refused(
            f"no database at {missing.resolve()}: run this where circles.db is, or set DATABASE_URL"
        )
    db = Database(settings.database_url)
    try:
        if (problem := schema_problem(db)) is not None:
            raise Refused(problem)
        _same_notes_key(db, settings)
        yield db
    except OperationalError as error:
        raise Refused(explain(settings.database_url, error)) from None
    finally:
        db.dispose()


def _same_notes_key(db: Database, settings: Settings) -> None:
    """Refused when the notes key this command would open notes or key research IDs with is not the one
    the database's replicas use (circles.notes_check); the check is read, never written, from here."""
    try:
        check_notes_key(db, stored_notes_key(settings), record=False)
    except SettingsError as error:
        raise Refused(str(error)) from None


def read_limited(path: Path, limit: int) -> bytes | None:
    """A file's bytes, or None when it holds more than `limit`; Refused when it cannot be read. At most one
    byte past the limit is read: a device or a pipe (/dev/zero) has no size to look at beforehand."""
    try:
        with path.open("rb") as file:
            data = file.read(limit + 1)
    except OSError as error:
        raise Refused(f"{path}: cannot read it: {error.strerror or error}") from None
    return data if len(data) <= limit else None


def tenant_option(key: str | None, option: str = "--team") -> str | None:
    """The tenant an option names, a workspace (T…) or an organisation (E…); Refused for any other shape."""
    if key is not None and not is_tenant_key(key):
        raise Refused(
            f"{option} {key}: a workspace ID looks like T012AB3CD, an organisation's like E012AB3CD"
        )
    return key


def tenant_name(key: str) -> str:
    """How a line names a tenant: `workspace T…` or `organisation E…`."""
    return f"organisation {key}" if is_organisation_key(key) else f"workspace {key}"


def only_workspace(db: Database, option: str, slugs: Sequence[str]) -> str:
    """The key of the database's one tenant (a workspace or an organisation); Refused when there is none,
    or several: then naming the few that have the cohorts (`slugs`), never hundreds, and picking none."""
    tenants = tenants_holding(db.reading(), [typed_slug(slug) for slug in slugs])
    if len(tenants) == 1:
        return tenants[0][0]
    if not tenants:
        raise Refused("the database holds no workspace yet: install the app or import a cohort first")
    keys = [key for key, _ in tenants]
    holding = [key for key, holds in tenants if holds]
    kinds = "workspaces and organisations" if any(map(is_organisation_key, keys)) else "workspaces"
    if len(holding) == len(keys):
        raise Refused(f"the database holds several {kinds} ({few(keys)}): name one with {option}")
    cohorts = f"cohort {slugs[0]}" if len(slugs) == 1 else "cohorts " + ", ".join(slugs)
    if not holding:
        raise Refused(f"the database holds {len(keys):,} {kinds}, none with {cohorts}: check the name")
    where = f"{cohorts} {'is' if len(slugs) == 1 else 'are'} in {few(holding)}"
    raise Refused(f"the database holds {len(keys):,} {kinds}; {where}: name one with {option}")


def few(keys: Sequence[str]) -> str:
    """The first SHOWN_TENANTS keys, and how many more: a line an operator reads, whatever the count."""
    shown = ", ".join(keys[:SHOWN_TENANTS])
    return shown + (f" and {len(keys) - SHOWN_TENANTS:,} more" if len(keys) > SHOWN_TENANTS else "")


def cohort_not_found(error: CohortNotFound, team: str) -> str:
    """One line for a slug no cohort of the tenant has, with the nearest ones."""
    text = f"no cohort {error.slug} in {tenant_name(team)}"
    if error.suggestions:
        text += " (did you mean " + " or ".join(error.suggestions) + "?)"
    return text
