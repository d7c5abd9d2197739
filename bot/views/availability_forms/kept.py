"""The working hours form carries the rota entries kept from before, so the ack can check one's own quiet
hours over them too: the form stays open showing what to fix, rather than closing and refusing after."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot import ids
from bot.views.forms import metadata_object
from circles.domain.availability import RotaEntry, WorkPattern
from circles.domain.availability.own_hours import HoursChoice, chosen_pattern, kept_problem
from circles.services.availability.pattern import Availability

METADATA_MAX = 3000  # Slack refuses a view whose private_metadata is longer


def kept_metadata(availability: Availability) -> str | None:
    """The form's private_metadata: the person's time zone and the rota entries with hours not over yet
    (days off are never covered). At most MAX_ROTA entries are kept, well within Slack's limit; were they
    not, none are carried and the service's check alone holds."""
    pattern = availability.pattern
    if pattern is None:
        return None
    rota = tuple(e for e in pattern.rota if e.shift is not None and e.ends_on >= availability.today)
    data = {"tz": availability.timezone, "pattern": WorkPattern(pattern.shift, rota).to_json()}
    text = json.dumps(data, separators=(",", ":"))
    return text if len(text) <= METADATA_MAX else None


def kept_errors(choice: HoursChoice, metadata: object, now: datetime) -> dict[str, str]:
    """One's own quiet hours over the rota entries kept from before (as chosen_pattern keeps them on the
    person's date), by block: empty when none is covered whole, or with no own quiet hours or usual hours."""
    if choice.quiet is None or choice.shift is None:
        return {}
    kept, today = _opened_with(metadata, now)
    pattern = chosen_pattern(WorkPattern(choice.shift, tuple(kept)), choice, today)
    if pattern is not None and (problem := kept_problem(choice.quiet, pattern.rota)):
        return {ids.HOURS_QUIET: problem}
    return {}


def _opened_with(metadata: object, now: datetime) -> tuple[Sequence[RotaEntry], date]:
    """The rota entries the form was opened with, and the person's date now; none from a form without."""
    data = metadata_object(metadata) or {}
    pattern = WorkPattern.from_json(data.get("pattern")) if isinstance(data.get("pattern"), dict) else None
    try:
        today = now.astimezone(ZoneInfo(str(data.get("tz") or "UTC"))).date()
    except (ValueError, KeyError):  # ZoneInfoNotFoundError is a KeyError
        today = now.date()
    return (pattern.rota if pattern else ()), today
