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


@dataclass(frozen=True)
class People:
    """Each email's member (`found`), or why it names no member (`refused`); `outside` holds the refused
    emails Slack names as someone who is not a member (a rota shared with another cohort)."""

    found: dict[str, str]
    refused: dict[str, str]
    outside: frozenset[str] = frozenset()


def find_people(
    emails: Iterable[str], members: Members, ask: Lookup | None
) -> tuple[dict[str, str], dict[str, str]]:
    """Each email's member (`found`), or why it names no member (`refused`); `ask` (Slack, once per email
    no profile holds) is None when Slack cannot be asked."""
    people = sort_people(emails, members, ask)
    return people.found, people.refused


def sort_people(emails: Iterable[str], members: Members, ask: Lookup | None) -> People:
    """As `find_people`, also saying which emails are of people outside the cohort."""
    found: dict[str, str] = {}
    refused: dict[str, str] = {}
    outside: set[str] = set()
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
            outside.add(email)
        else:
            found[email] = user_id
    return People(found, refused, frozenset(outside))
