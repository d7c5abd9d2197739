"""What a cohort's slug may be, a slug as someone typed it, and the slugs nearest to a mistyped one."""

from __future__ import annotations

import difflib
import re
import unicodedata

SLUG_PATTERN = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$")
SLUG_RULE = (
    "2–40 characters: lowercase letters, digits and dashes, starting and ending with a letter or digit"
)


def slug_problem(slug: str) -> str | None:
    """Say what is wrong with a slug, or None when it is fine."""
    if len(slug) < 2 or not SLUG_PATTERN.match(slug):
        return f"`{slug[:60]}` is not a valid cohort slug: use {SLUG_RULE}, e.g. `pgy1-spring`."
    return None


def typed_slug(text: str) -> str:
    """A slug someone typed, in the form slugs are kept: lower case, full-width letters and digits (as a
    Japanese or Chinese input method types them) as plain ones, and no invisible format characters."""
    plain = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in plain if unicodedata.category(ch) != "Cf").lower()


def closest_slugs(wanted: str, existing: list[str], limit: int = 3) -> list[str]:
    """The existing slugs nearest to what someone typed, best first."""
    return difflib.get_close_matches(typed_slug(wanted), existing, n=limit, cutoff=0.5)
