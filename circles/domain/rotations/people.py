"""Who each email of a rotations file is: a member by their profile's email, else whom Slack names."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

Lookup = Callable[[str], str | None]  # an email to the Slack user ID it belongs to, None when nobody's


@dataclass(frozen=True)
class Members:
    """The cohort's members who have not left: by profile email (lower case), and all of their IDs."""

    slug: str
    by_email: Mapping[str, str] = field(default_factory=dict)
    ids: frozenset[str] = frozenset()


def find_people(
    emails: Iterable[str], members: Members, ask: Lookup | None
) -> tuple[dict[str, str], dict[str, str]]:
    """Each email's member (`found`), or why it names no member (`refused`); `ask` (Slack, once per email
    no profile holds) is None when Slack cannot be asked."""
    found: dict[str, str] = {}
    refused: dict[str, str] = {}
    for email in dict.fromkeys(emails):
        user_id = members.by_email.get(email)
        if user_id is not None:
            found[email] = user_id
        elif ask is None:
            refused[email] = f"{email} is not the email of a member of {members.slug} (Slack was not asked)"
        elif (user_id := ask(email)) is None:
            refused[email] = f"unknown email: no one in Slack has the email {email}"
        elif user_id not in members.ids:
            refused[email] = f"not a member: {email} ({user_id}) is not a member of {members.slug}"
        else:
            found[email] = user_id
    return found, refused
