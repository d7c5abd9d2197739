"""The people a cohort file names: its facilitators, and its members with their roles and profiles."""

from __future__ import annotations

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from circles.domain.cohort_file.contents import MemberEntry, PersonRef
from circles.domain.cohort_file.problems import FileProblem
from circles.domain.cohort_file.schema import (
    CAPACITY_LIMITS,
    EMAIL,
    LIST_LIMITS,
    MAX_FACILITATORS,
    MEMBER_KEYS,
    TEXT_LIMITS,
    USER_ID,
    WHO,
)
from circles.domain.cohort_file.values import NodeReader, blank
from circles.domain.cohort_rules import roles_for
from circles.domain.vocabulary import MemberStatus, PairingMode, Role


class PeopleReader(NodeReader):
    """Reads the people of a cohort file, each listed once; roles are checked against the pairing."""

    pairing_known = True  # when `pairing:` is wrong, members' roles cannot be checked against it

    def facilitators(self, node: Node) -> list[PersonRef]:
        items = node.value if isinstance(node, SequenceNode) else [node]  # one facilitator needs no list
        if not items or any(not isinstance(item, ScalarNode) for item in items):
            self.fail(node, "facilitators", "expected a list of Slack user IDs or emails, e.g. [U012AB3CD]")
            return []
        if len(items) > MAX_FACILITATORS:
            self.fail(node, "facilitators", f"{len(items):,} listed; a cohort has at most {MAX_FACILITATORS}")
            return []
        refs = [self.person(item, "facilitators") for item in items]
        return self.once([ref for ref in refs if ref is not None])

    def members(self, node: Node, mode: PairingMode) -> list[MemberEntry]:
        if isinstance(node, ScalarNode) and blank(node):
            return []  # `members:` with nobody under it yet
        if not isinstance(node, SequenceNode):
            self.fail(node, "members", "expected a list of members, each starting with `- `")
            return []
        entries = [entry for item in node.value if (entry := self.member(item, mode)) is not None]
        self.once([entry.person for entry in entries])
        return entries

    def member(self, item: Node, mode: PairingMode) -> MemberEntry | None:
        keys = self.mapping(item, "members", MEMBER_KEYS, "a member (`user:` or `email:`, and `role:`)")
        if "user" in keys and "email" in keys:
            self.fail(item, "user", "give either the member's Slack `user:` ID or their `email:`, not both")
        elif "user" not in keys and "email" not in keys and isinstance(item, MappingNode):
            self.fail(item, "user", "missing: give the member's Slack `user:` ID or their `email:`")
        which = "user" if "user" in keys else "email"
        person = self.person(keys[which], which) if which in keys else None
        role = self.role(item, keys.get("role"), mode)
        # Leaving ends partnerships and tells partners: members leave themselves, never by file.
        status = self.choice(keys["status"], "status", ["active", "paused"]) if "status" in keys else None
        profile = self.profile(keys)
        for name in ("offers", "capacity"):
            if role is not None and not role.guides and profile.get(name):
                self.fail(keys[name], name, f"only coaches and mentors offer partnerships, not a {role}")
        if person is None or role is None:
            return None
        return MemberEntry(person, role, MemberStatus(status) if status else None, profile)

    def role(self, item: Node, node: Node | None, mode: PairingMode) -> Role | None:
        offered = [role.value for role in roles_for(mode)] if self.pairing_known else list(Role)
        if node is None:
            if len(offered) == 1:
                return Role(offered[0])
            if isinstance(item, MappingNode):
                self.fail(item, "role", f"missing: choose {' or '.join(offered)} (pairing: {mode})")
            return None
        value = self.choice(node, "role", list(Role))
        if value is not None and value not in offered:
            self.fail(
                node, "role", f"`{value}` is not a role when pairing is {mode}; use {' or '.join(offered)}"
            )
            return None
        return Role(value) if value else None

    def profile(self, keys: dict[str, Node]) -> dict[str, str | int]:
        # An empty field is as if left out: what the person wrote themselves stays.
        given = {k: v for k, v in keys.items() if not (isinstance(v, ScalarNode) and blank(v))}
        profile: dict[str, str | int | None] = {
            **{
                name: self.text(given[name], name, limit=limit)
                for name, limit in TEXT_LIMITS.items()
                if name in given
            },
            **{
                name: self.words(given[name], name, limit)
                for name, limit in LIST_LIMITS.items()
                if name in given
            },
        }
        if "capacity" in given and (capacity := self.whole(given["capacity"], "capacity")) is not None:
            low, high = CAPACITY_LIMITS
            profile["capacity"] = capacity
            if not low <= capacity <= high:
                self.fail(given["capacity"], "capacity", f"take {low} to {high} partners (got {capacity})")
        return {name: value for name, value in profile.items() if value not in (None, "")}

    def person(self, node: Node, field: str) -> PersonRef | None:
        value = self.text(node, field, "a Slack user ID or an email", 320)
        line = node.start_mark.line + 1
        if value is not None and field != "email" and USER_ID.match(value):
            return PersonRef(value, None, line, field)
        if value is not None and field != "user" and EMAIL.match(value):
            return PersonRef(None, value, line, field)
        if value is not None:
            self.fail(node, field, f"`{value}` is not {WHO[field]}")
        return None

    def once(self, refs: list[PersonRef]) -> list[PersonRef]:
        seen: dict[str, int] = {}
        for ref in refs:
            if ref.key in seen:
                message = f"listed twice (also on line {seen[ref.key]})"
                self.add(FileProblem(self.file, ref.line, ref.field, message))
            seen.setdefault(ref.key, ref.line)
        return refs
