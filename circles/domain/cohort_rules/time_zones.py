"""Whether a name is a time zone a cohort or a person can be in."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

# In the zone database, yet naming no place: the server's own setting, and placeholders.
NO_PLACE = frozenset({"localtime", "Factory", "posixrules"})


def is_time_zone(name: str) -> bool:
    if name not in _zones() or name in NO_PLACE:
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


_ZONES: frozenset[str] | None = None


def _zones() -> frozenset[str]:
    global _ZONES  # computed once: listing the zone database reads many files
    if _ZONES is None:
        _ZONES = frozenset(available_timezones())
    return _ZONES
