"""Consent to research use: a member's decisions over time, and whether their data may be exported now.

The rule for a changed statement: consent is given to one version of a cohort's research statement. A
member counts as consenting only if their latest decision is GIVEN and was given to the CURRENT version.
After the statement changes, someone who agreed to an older version no longer counts (they are left out of
exports) until they agree again; they are shown that the statement changed and asked again. A withdrawal
stands whatever the version.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from circles.domain.text import slack_length

DEFAULT_STATEMENT = (
    "The team running this programme may study how it works, using members' check-in ratings and "
    "survey answers. If you agree, your answers are used only under a pseudonymous code: never your "
    "name, your Slack ID or anything you wrote in your own words. Any figure describing fewer than 5 "
    "people is hidden. Saying no changes nothing about your place in the programme. You can withdraw "
    "at any time; from then on your answers are left out of every future export."
)
STATEMENT_MAX = 2500  # shown whole in a message section, with its heading


class Decision(StrEnum):
    GIVEN = "given"
    WITHDRAWN = "withdrawn"


@dataclass(frozen=True)
class ConsentRecord:
    decision: Decision
    at: datetime
    statement_version: str


def counted(records: Iterable[ConsentRecord], erased_before: datetime | None) -> list[ConsentRecord]:
    """The decisions that count for a membership: those made after its last erasure (every one when it was
    never erased). An erasure deletes the person's decisions; one that lands beside it (pressed as they
    left) is no decision of the person who comes back, who is asked again. Every reader goes through this."""
    return [record for record in records if erased_before is None or record.at > erased_before]


def latest_decision(records: Iterable[ConsentRecord], as_of: datetime) -> ConsentRecord | None:
    """The last decision made up to `as_of`; on a tie a withdrawal wins, the safer reading."""
    made = [record for record in records if record.at <= as_of]
    if not made:
        return None
    return max(made, key=lambda record: (record.at, record.decision is Decision.WITHDRAWN))


def may_export(records: Iterable[ConsentRecord], as_of: datetime, current_version: str | None = None) -> bool:
    """Whether a member's data may go into an export made at `as_of`: only with consent given and standing.

    With `current_version`, consent counts only when given to that version of the statement.
    """
    latest = latest_decision(records, as_of)
    if latest is None or latest.decision is not Decision.GIVEN:
        return False
    return current_version is None or latest.statement_version == current_version


def asked_again(latest: ConsentRecord | None, current_version: str) -> bool:
    """Whether the member agreed to an older statement and must be asked about the current one."""
    return (
        latest is not None
        and latest.decision is Decision.GIVEN
        and latest.statement_version != current_version
    )


def cleaned_statement(text: str | None) -> str | None:
    """A statement as kept: stripped, and None when empty or the product's default wording."""
    cleaned = (text or "").strip()
    return None if not cleaned or cleaned == DEFAULT_STATEMENT else cleaned


def statement_problem(text: str | None) -> str | None:
    """What is wrong with a research statement, or None."""
    if text is not None and slack_length(text) > STATEMENT_MAX:  # as Slack's form counts: an emoji twice
        return f"Keep the research statement to {STATEMENT_MAX} characters."
    return None


def next_version(version: str | None) -> str:
    """The version a changed statement gets: "1" becomes "2"; anything else gains a ".1"."""
    if not version:
        return "1"
    return str(int(version) + 1) if version.isdigit() else f"{version}.1"
