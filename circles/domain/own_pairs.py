"""A facilitator or admin may also be one of a pair: nothing of that pair is theirs to see or act on.

The one place this rule is decided. Health boards, alerts and their buttons, reports and the research
export ask it, each with the pair's two partners (Slack user IDs) read alongside their own rows.
"""

from __future__ import annotations

from collections.abc import Iterable


def one_of_the_pair(person: str | None, partners: Iterable[str | None]) -> bool:
    """Whether this person is one of the pair: they never see its health, notes, alerts or rows."""
    return person is not None and person in set(partners)


def who_may_hear(people: Iterable[str], partners: Iterable[str | None]) -> list[str]:
    """The people, in order and once each, who may hear of the pair: everyone but its partners."""
    pair = set(partners)
    return sorted({person for person in people if person not in pair})
