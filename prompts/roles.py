"""Load and check the welcome texts that set out each role's shared expectations."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from circles.datafiles import read_yaml
from circles.domain.vocabulary import Role

ROLES_DIR = Path(__file__).parent / "roles"
SECTION_LIMIT = 2800  # a Slack section block takes 3000 characters; leave room for headings
TITLE_LIMIT = 150  # header blocks take 150
TEXT_KEYS = ("title", "intro", "checkins", "support", "ending")
LIST_KEYS = ("responsibilities", "good_partnership")


class RoleTextError(Exception):
    """A role text file breaks a rule; the message names the file and the field."""


@dataclass(frozen=True)
class RoleText:
    role: Role
    title: str
    intro: str
    responsibilities: tuple[str, ...]
    good_partnership: tuple[str, ...]
    checkins: str
    support: str
    ending: str


def load_role_texts(folder: Path = ROLES_DIR) -> dict[Role, RoleText]:
    """Read one file per role; every role must have one, and every file must pass the checks."""
    texts = {}
    for role in Role:
        texts[role] = _parse(folder / f"{role.value}.yml", role)
    return texts


@cache
def role_texts() -> dict[Role, RoleText]:
    """The shipped texts, read once per process."""
    return load_role_texts()


def _parse(path: Path, role: Role) -> RoleText:
    data = read_yaml(path, RoleTextError, "missing: every role needs a welcome text")
    if not isinstance(data, dict):
        raise RoleTextError(f"{path}: expected a mapping of fields")
    unknown = set(data) - {"role", *TEXT_KEYS, *LIST_KEYS}
    if unknown:
        raise RoleTextError(f"{path}: unknown field(s): {', '.join(sorted(unknown))}")
    if data.get("role") != role.value:
        raise RoleTextError(f"{path}: role: must be {role.value!r}")
    for key in TEXT_KEYS:
        value = data.get(key)
        limit = TITLE_LIMIT if key == "title" else SECTION_LIMIT
        if not isinstance(value, str) or not value.strip():
            raise RoleTextError(f"{path}: {key}: must be non-empty text")
        if len(value) > limit:
            raise RoleTextError(f"{path}: {key}: {len(value)} characters, at most {limit}")
    for key in LIST_KEYS:
        items = data.get(key)
        if (
            not isinstance(items, list)
            or not items
            or not all(isinstance(i, str) and i.strip() for i in items)
        ):
            raise RoleTextError(f"{path}: {key}: must be a non-empty list of text")
        if len("\n".join(items)) > SECTION_LIMIT:
            raise RoleTextError(f"{path}: {key}: too long for one Slack section ({SECTION_LIMIT} characters)")
    return RoleText(
        role=role,
        title=data["title"].strip(),
        intro=data["intro"].strip(),
        responsibilities=tuple(i.strip() for i in data["responsibilities"]),
        good_partnership=tuple(i.strip() for i in data["good_partnership"]),
        checkins=data["checkins"].strip(),
        support=data["support"].strip(),
        ending=data["ending"].strip(),
    )
