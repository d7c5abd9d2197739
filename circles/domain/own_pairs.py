"""A facilitator or admin may also be one of a pair, or have been paired with one of its partners (in any
cohort): nothing of that pair is theirs to see or act on. What a partner says of a partnership, asks for,
or goes through is not for someone they were ever paired with.

The one place this rule is decided. Health boards, alerts and their buttons, support requests, the reports
of a partnership's change, reports and the research export ask it, each with the pair's two partners
(Slack user IDs) read alongside their own rows, and who the person looking was ever paired with.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable


def one_of_the_pair(
    person: str | None, partners: Iterable[str | None], paired_with: Collection[str] = ()
) -> bool:
    """Whether this person is one of the pair, or was ever paired with one of its partners (`paired_with`:
    everyone the person was ever paired with): they never see its health, notes, alerts or rows."""
    pair = set(partners)
    return person is not None and (person in pair or any(partner in paired_with for partner in pair))


def who_may_hear(people: Iterable[str], kept: Iterable[str | None]) -> list[str]:
    """The people, in order and once each, who may hear of a pair: everyone but those `kept` from it (its
    partners, and everyone either was ever paired with: see `kept_from_pair`)."""
    left_out = set(kept)
    return sorted({person for person in people if person not in left_out})
