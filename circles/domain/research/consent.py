"""Consent to research use: a member's decisions over time, and whether their data may be exported now."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class Decision(StrEnum):
    GIVEN = "given"
    WITHDRAWN = "withdrawn"


@dataclass(frozen=True)
class ConsentRecord:
    decision: Decision
    at: datetime
    statement_version: str


def latest_decision(records: Iterable[ConsentRecord], as_of: datetime) -> ConsentRecord | None:
    """The last decision made up to `as_of`; on a tie a withdrawal wins, the safer reading."""
    made = [record for record in records if record.at <= as_of]
    if not made:
        return None
    return max(made, key=lambda record: (record.at, record.decision is Decision.WITHDRAWN))


def may_export(records: Iterable[ConsentRecord], as_of: datetime) -> bool:
    """Whether a member's data may go into an export made at `as_of`: only with consent given and standing."""
    latest = latest_decision(records, as_of)
    return latest is not None and latest.decision is Decision.GIVEN
