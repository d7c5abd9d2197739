"""What a message that waited may still say (pure): whether it waited, and what of it stopped being true."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import replace
from datetime import date, datetime, timedelta

from circles.domain.digests import DigestSection
from circles.domain.nudges import NudgeKind

# A message going within this long of its due time, never held or tried, is as true as when written.
FRESH_FOR = timedelta(minutes=15)


def waited(first_due: datetime, held: bool, tried: bool, now: datetime) -> bool:
    """Whether an unsent message may say what stopped being true: it was held back, tried before, or is
    going well after it was due. One written and sent at once says what was true when it was written."""
    return held or tried or now - first_due > FRESH_FOR


def about_partner(template: str, args: object) -> str | None:
    """The partner a notice about someone's absence names (partner_away / partner_back), else None."""
    field = {"partner_away": "away_user_id", "partner_back": "back_user_id"}.get(template)
    found = args.get(field) if field is not None and isinstance(args, dict) else None
    return found if isinstance(found, str) else None


def absence_over(template: str, args: object, now: datetime) -> bool:
    """Whether a notice that a partner is away says they are back by a day already over at `now` (UTC,
    so at worst a day late in any zone): the partner, away themselves meanwhile, would learn it too late."""
    until = args.get("until") if template == "partner_away" and isinstance(args, dict) else None
    try:
        back = date.fromisoformat(until) if isinstance(until, str) else None
    except ValueError:
        return False
    return back is not None and now.date() > back


def still_true(
    sections: Iterable[DigestSection],
    partners: Mapping[str, Collection[str]],
    requests: Mapping[str, int],
    present: Mapping[str, Collection[str]] | None = None,
) -> tuple[DigestSection, ...]:
    """What of a digest made earlier is still to act on now: by cohort the person is still active in
    (`partners` names each one's current partners), only the nudges about a current partner, and the
    requests still waiting (`requests`, by cohort). A pair on hold now (its partner not in `present`,
    by cohort: paused or away) is named for nothing, as planning would not name it. A section left with
    nothing goes."""
    here = partners if present is None else present
    kept = []
    for section in sections:
        if section.cohort_name not in partners:
            continue
        nudges = []
        for nudge in section.nudges:
            if nudge.kind is NudgeKind.REQUEST_WAITING:
                if waiting := requests.get(section.cohort_name, 0):
                    nudges.append(replace(nudge, count=waiting))
            elif nudge.partner_user_id in here.get(section.cohort_name, ()):
                nudges.append(nudge)
        if nudges:
            kept.append(replace(section, nudges=tuple(nudges)))
    return tuple(kept)
