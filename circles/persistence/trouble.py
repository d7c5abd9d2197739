"""Database trouble in one line: what is wrong with DATABASE_URL, never its password."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote_plus

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, OperationalError, SQLAlchemyError

SUPPORTED = "use sqlite:///FILE or postgresql://USER@HOST/DB"
HIDDEN = "***"  # what a password looks like printed, as SQLAlchemy hides one before the @
SECRET_WORDS = ("pass", "secret", "token")  # a query key holding one of these holds a secret

# What `circles` turns into one line (make_engine turns a driver that is not installed into one).
DATABASE_TROUBLE = SQLAlchemyError


def shown(url: str | URL) -> str:
    """The URL as it may be printed: the password hidden, whether before the @ or in the query
    (`?password=…`, which the PostgreSQL driver takes too), as is any query value that looks secret."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        return "(not a database URL)"
    pairs = [
        f"{quote_plus(key)}={HIDDEN if _secret(key) else quote_plus(value)}"
        for key, values in parsed.query.items()
        for value in ((values,) if isinstance(values, str) else values)
    ]
    without_query = parsed.set(query={}).render_as_string(hide_password=True)
    return f"{without_query}?{'&'.join(pairs)}" if pairs else without_query


def _secret(key: str) -> bool:
    """Whether a query key names a secret: password, sslpassword, any *pass*, *secret* or *token*."""
    return any(word in key.lower() for word in SECRET_WORDS)


def explain(url: str | URL, error: BaseException) -> str:
    """One line naming DATABASE_URL and what is wrong with the database behind it."""
    return f"cannot use the database at DATABASE_URL ({shown(url)}): {reason(url, error)}"


def reason(url: str | URL, error: BaseException) -> str:
    """What is wrong, in a few words, without the URL."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        return f"not a database URL ({SUPPORTED})"
    backend = parsed.get_backend_name()
    backend = "postgresql" if backend == "postgres" else backend  # both spellings connect (normalise_url)
    if backend not in ("sqlite", "postgresql"):
        return f"{parsed.drivername!r} databases are not supported ({SUPPORTED})"
    if isinstance(error, NoSuchModuleError):
        return f"the driver {parsed.drivername!r} is not installed ({SUPPORTED})"
    if backend == "sqlite":
        found = sqlite_path_problem(parsed)
        if found:
            return found
    detail = _first_line(error.orig if isinstance(error, DBAPIError) and error.orig else error)
    if "readonly" in detail or "read-only" in detail:
        return f"the database is read-only ({detail})"
    if backend == "postgresql" and isinstance(error, OperationalError):
        return f"cannot connect ({detail}); is PostgreSQL running and listening there?"
    return detail


def sqlite_file(url: URL) -> Path | None:
    """The file a SQLite URL names; None for in-memory databases and `file:` URIs."""
    database = url.database or ""
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database)


def sqlite_path_problem(url: URL) -> str | None:
    """Say what is wrong with a SQLite file's path, if anything is; None for in-memory databases."""
    path = sqlite_file(url)
    if path is None:
        return None
    if path.is_dir():
        return f"{path} is a folder, not a database file"
    for folder in path.parents:
        if folder.exists() and not folder.is_dir():
            return f"{folder} is a file, not a folder, so {path} cannot be made"
    if not path.parent.exists():
        return f"the folder {path.parent} does not exist"
    return None


def _first_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return text[0] if text else type(error).__name__
