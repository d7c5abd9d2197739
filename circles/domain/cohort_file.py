"""Read a cohort file (YAML): settings and members, with every problem pinned to a line and a field."""

from __future__ import annotations

import contextlib
import difflib
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date, time
from typing import Any

import yaml
from yaml.composer import ComposerError
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from circles.domain.care import WELLBEING_RESOURCES_MAX
from circles.domain.cohort_rules import WEEKDAYS, CohortSettings, roles_for, settings_problems, slug_problem
from circles.domain.cohort_settings import PHASES, HealthThresholds, SurveyPlan
from circles.domain.research.consent import STATEMENT_MAX
from circles.domain.text import clean_typed
from circles.domain.vocabulary import MeetingPlace, MemberStatus, PairingMode, Role

# What one file may hold: generous for a real programme (matching is held to 10,000 members; a member
# takes 150 to 250 bytes), and bounded, since each person named is one call to Slack.
MAX_BYTES = 5 * 1024 * 1024  # as a rotations file; the caller reads no more than this, before parsing
MAX_MEMBERS = 10_000  # and so entries in any one list
MAX_FACILITATORS = 100
MAX_DEPTH = 20  # a cohort file needs four levels; composing recurses, so [[[[…]]]] must stop early
USER_ID = re.compile(r"^[UW][A-Z0-9]{2,31}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
WHOLE = re.compile(r"^[-+]?\d+$")
# Characters per profile field, as the profile form allows (lists count as their comma-separated text).
TEXT_LIMITS = {"aspirations": 500, "department": 120, "seniority": 64, "availability": 300, "offers": 500}
LIST_LIMITS = {"interests": 500, "skills": 500}
CAPACITY_LIMITS = (0, 20)
MEMBER_KEYS = ("user", "email", "role", "status", *TEXT_LIMITS, *LIST_LIMITS, "capacity")
# Where each setting (and health threshold) is written in the file, for messages and change summaries.
SETTING_KEYS = {
    "name": "name",
    "circle_min_size": "circle_size.min",
    "circle_max_size": "circle_size.max",
    "pairing_mode": "pairing",
    "meeting_place": "meet_in",
    "prompt_weekday": "prompts.weekday",
    "prompt_local_time": "prompts.time",
    "prompt_track": "prompts.track",
    "checkin_every_weeks": "checkin_every_weeks",
    "match_look_back_rounds": "matching.look_back_rounds",
    "timezone": "timezone",
    "starts_on": "starts_on",
    "ends_on": "ends_on",
    **{name: f"health.{name}" for name in HealthThresholds().to_json()},
    "free_text_hint": "free_text_hint",
    "wellbeing_resources": "wellbeing_resources",
    "research_statement": "research_statement",
    **{f"survey_{phase}": f"surveys.{phase}" for phase in PHASES},
}
# Empty or left out: the default wording.
WORDINGS = ("free_text_hint", "wellbeing_resources", "research_statement")
SUB_KEYS = {
    "circle_size": ("min", "max"),
    "prompts": ("weekday", "time", "track"),
    "matching": ("look_back_rounds",),
    "health": tuple(HealthThresholds().to_json()),
    "surveys": PHASES,
}
WHO = {
    "user": "a Slack user ID (like U012AB3CD)",
    "email": "an email address",
    "facilitators": "a Slack user ID (like U012AB3CD) or an email address",
}
KEPT_UNLESS_WRITTEN = {"surveys": "survey_plan", "research_statement": "research_statement"}
COHORT_KEYS = ("slug", "facilitators", *dict.fromkeys(path.split(".")[0] for path in SETTING_KEYS.values()))
NULL = "tag:yaml.org,2002:null"


@dataclass(frozen=True)
class FileProblem:
    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.field}: {self.message}"


class CohortFileInvalid(Exception):
    """The file breaks a rule; `problems` has one entry per problem, in file order."""

    def __init__(self, problems: list[FileProblem]) -> None:
        self.problems = sorted(problems, key=lambda problem: problem.line)
        super().__init__("\n".join(map(str, self.problems)))


@dataclass(frozen=True)
class PersonRef:
    """Someone the file names by Slack user ID or by email, and where it does."""

    user_id: str | None
    email: str | None
    line: int
    field: str

    @property
    def key(self) -> str:
        return self.user_id or (self.email or "").lower()


@dataclass(frozen=True)
class MemberEntry:
    person: PersonRef
    role: Role
    status: MemberStatus | None  # None: keep the stored status (active for someone new)
    profile: dict[str, str | int]  # only the profile fields the file gives


@dataclass(frozen=True)
class CohortFile:
    file: str
    slug: str
    slug_line: int
    settings: CohortSettings  # what the file says, with defaults for what it leaves out
    facilitators: list[PersonRef]
    members: list[MemberEntry]
    # Settings the file leaves out that keep what is stored (the survey plan, the research statement,
    # whose change would ask every member to consent again).
    unwritten: tuple[str, ...] = ()

    def people(self) -> list[PersonRef]:
        return [*self.facilitators, *(member.person for member in self.members)]


def parse_cohort_file(
    text: str,
    file: str,
    known_tracks: frozenset[str] | None = None,
    today: date | None = None,
    known_surveys: Collection[str] | None = None,
) -> CohortFile:
    """Read and check a cohort file; raise CohortFileInvalid listing every problem found.

    With `today`, its dates must fall within a few years of it; with `known_surveys`, its survey plan
    may name only those (the settings form's rules, in circles.domain.cohort_rules).
    """
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        valid_yaml = isinstance(error, _NotAllowed)
        what = f"{error.problem}" if valid_yaml else f"not valid YAML: {error.problem or error.context}"
        problem = FileProblem(file, mark.line + 1 if mark else 1, "yaml", what)
        raise CohortFileInvalid([problem]) from None
    except yaml.YAMLError as error:
        raise CohortFileInvalid([FileProblem(file, 1, "yaml", f"not valid YAML: {error}")]) from None
    reader = _Reader(file, known_tracks, today, known_surveys)
    top = reader.mapping(root, "", ("cohort", "members")) if isinstance(root, MappingNode) else {}
    if "cohort" not in top:
        reader.fail(root, "cohort", "missing: a cohort file starts with `cohort:` and its settings")
        raise CohortFileInvalid(reader.problems)
    slug, settings, facilitators = reader.cohort(top["cohort"])
    node = top["cohort"]
    written = {str(key.value) for key, _ in node.value} if isinstance(node, MappingNode) else set()
    unwritten = tuple(name for key, name in KEPT_UNLESS_WRITTEN.items() if key not in written)
    members = reader.members(top["members"], settings.pairing_mode) if "members" in top else []
    if reader.problems:
        raise CohortFileInvalid(reader.problems)
    return CohortFile(file, slug, reader.slug_line, settings, facilitators, members, unwritten)


def same_person_twice(cohort_file: CohortFile, user_ids: Mapping[str, str]) -> list[FileProblem]:
    """Entries that turn out to name one Slack user twice (say, by ID and by email); keys as PersonRef.key."""
    problems = []
    for people in (cohort_file.facilitators, [member.person for member in cohort_file.members]):
        first: dict[str, PersonRef] = {}
        for ref in people:
            user_id = user_ids.get(ref.key)
            if user_id in first:
                seen = first[user_id]
                message = f"{user_id} is already listed on line {seen.line} (as {seen.email or seen.user_id})"
                problems.append(FileProblem(cohort_file.file, ref.line, ref.field, message))
            elif user_id is not None:
                first[user_id] = ref
    return problems


class _NotAllowed(ComposerError):
    """Valid YAML that a cohort file does not take: a tag, or a list longer than MAX_MEMBERS."""


class _Loader(yaml.SafeLoader):
    """SafeLoader's composer, refusing tags, overlong lists and nesting deeper than MAX_DEPTH."""

    depth = 0

    def compose_node(self, parent: Node | None, index: int) -> Node | None:
        event = self.peek_event()  # type: ignore[no-untyped-call]
        tag = getattr(event, "tag", None)
        # Values are read as written, so no tag is ever needed; `!!python/object…` is for another program.
        if tag not in (None, "!"):
            shown = str(tag).replace("tag:yaml.org,2002:", "!!")
            message = f"YAML tags (`{shown}`) are not allowed: write plain values"
            raise _NotAllowed(None, None, message, event.start_mark)
        if isinstance(parent, SequenceNode) and index >= MAX_MEMBERS:  # before composing the rest of it
            message = (
                f"more than {MAX_MEMBERS:,} entries in one list; a file holds at most {MAX_MEMBERS:,} "
                "members: split them over several files (members missing from a file are kept)"
            )
            raise _NotAllowed(None, None, message, event.start_mark)
        if self.depth >= MAX_DEPTH:
            raise ComposerError(None, None, f"nested too deeply (over {MAX_DEPTH} levels)", event.start_mark)
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


class _Reader:
    """Walks the composed YAML nodes, keeping values as written and collecting problems."""

    def __init__(
        self,
        file: str,
        known_tracks: frozenset[str] | None = None,
        today: date | None = None,
        known_surveys: Collection[str] | None = None,
    ) -> None:
        self.file, self.known_tracks, self.today = file, known_tracks, today
        self.known_surveys = known_surveys
        self.slug_line = 1
        self.problems: list[FileProblem] = []
        self.pairing_known = True  # when `pairing:` is wrong, members' roles cannot be checked against it

    def fail(self, node: Node | None, field: str, message: str) -> None:
        line = node.start_mark.line + 1 if node is not None else 1
        self.problems.append(FileProblem(self.file, line, field, message))

    def mapping(
        self, node: Node, field: str, allowed: Collection[str], expected: str = "`key: value` lines"
    ) -> dict[str, Node]:
        if not isinstance(node, MappingNode):
            self.fail(node, field or "yaml", f"expected {expected} here")
            return {}
        found: dict[str, Node] = {}
        for key_node, value in node.value:
            key = str(key_node.value) if isinstance(key_node, ScalarNode) else "?"
            path = f"{field}.{key}" if field in SUB_KEYS else key
            if key not in allowed:
                close = difflib.get_close_matches(key, allowed, n=1)
                hint = f"did you mean `{close[0]}`?" if close else f"use one of: {', '.join(allowed)}"
                self.fail(key_node, path, f"unknown key; {hint}")
            elif key in found:
                self.fail(key_node, path, f"given twice (first on line {found[key].start_mark.line + 1})")
            else:
                found[key] = value
        return found

    def text(self, node: Node, field: str, what: str = "some text", limit: int = 255) -> str | None:
        # Plain scalars are read as written, so `9:30` stays a time and `no` stays a word.
        if not isinstance(node, ScalarNode) or node.tag == NULL or not str(node.value).strip():
            self.fail(node, field, f"expected {what}")
            return None
        value = clean_typed(str(node.value)).strip()  # what reaches people never reorders what follows
        if len(value) > limit:
            self.fail(node, field, f"keep it to {limit} characters")
            return None
        return value

    def whole(self, node: Node, field: str) -> int | None:
        value = self.text(node, field, "a whole number")
        if value is not None and not WHOLE.match(value):
            self.fail(node, field, f"`{value}` is not a whole number")
            return None
        return int(value) if value is not None else None

    def choice(self, node: Node, field: str, options: Collection[str]) -> str | None:
        value = self.text(node, field, f"one of: {', '.join(options)}")
        if value is not None and value.lower() not in options:
            self.fail(node, field, f"`{value}` is not one of: {', '.join(options)}")
            return None
        return value.lower() if value is not None else None

    def when(self, node: Node, field: str, kind: type[date | time]) -> Any:
        """A date (YYYY-MM-DD) or a time of day (HH:MM), or None after a problem."""
        form = "YYYY-MM-DD" if kind is date else '"09:00" (HH:MM, 24-hour)'
        value = self.text(node, field, f"a {kind.__name__} like {form}")
        if value is None:
            return None
        if kind is time and (match := TIME.match(value)):
            return time(int(match[1]), int(match[2]))
        if kind is date:
            with contextlib.suppress(ValueError):
                return date.fromisoformat(value)
        self.fail(node, field, f"`{value}` is not a {kind.__name__}; write it as {form}")
        return None

    def cohort(self, node: Node) -> tuple[str, CohortSettings, list[PersonRef]]:
        keys = self.mapping(node, "cohort", COHORT_KEYS)
        for required in ("slug", "name", "facilitators"):
            if required not in keys and isinstance(node, MappingNode):
                self.fail(node, required, "missing: every cohort file gives it")
        slug = self.text(keys["slug"], "slug", "a slug like pgy1-spring", 64) if "slug" in keys else None
        if "slug" in keys:
            self.slug_line = keys["slug"].start_mark.line + 1
        if slug and (problem := slug_problem(slug)):
            self.fail(keys["slug"], "slug", problem)
        subs = {
            key: self.mapping(keys[key], key, allowed) for key, allowed in SUB_KEYS.items() if key in keys
        }
        nodes = {}
        for name, path in SETTING_KEYS.items():
            head, _, tail = path.partition(".")
            found = subs.get(head, {}).get(tail) if tail else keys.get(head)
            if found is not None:
                nodes[name] = found
        given = {name: self.setting(name, found) for name, found in nodes.items()}
        values = {name: value for name, value in given.items() if value is not None}
        self.pairing_known = "pairing_mode" in values or "pairing_mode" not in nodes
        thresholds = HealthThresholds(**{k: values.pop(k) for k in list(values) if k in SUB_KEYS["health"]})
        plan = SurveyPlan.of({p: values.pop(f"survey_{p}") for p in PHASES if f"survey_{p}" in values})
        settings = CohortSettings(**{"name": "", **values}, thresholds=thresholds, survey_plan=plan)
        problems = settings_problems(settings, self.known_tracks, self.today, self.known_surveys)
        for name, message in problems.items():
            if name != "name" or "name" in nodes:
                got = f" (got {given[name]})" if isinstance(given.get(name), int) else ""
                where = nodes.get(name) or nodes.get("circle_min_size") or node
                self.fail(where, SETTING_KEYS[name], message[:1].lower() + message[1:].rstrip(".") + got)
        facilitators = self.facilitators(keys["facilitators"]) if "facilitators" in keys else []
        return slug or "", settings, facilitators

    def setting(self, name: str, node: Node) -> Any:
        path = SETTING_KEYS[name]
        if name in ("pairing_mode", "meeting_place"):
            kind = PairingMode if name == "pairing_mode" else MeetingPlace
            value = self.choice(node, path, [option.value for option in kind])
            return kind(value) if value else None
        if name == "prompt_weekday":
            day = self.choice(node, path, [weekday.lower() for weekday in WEEKDAYS])
            return [weekday.lower() for weekday in WEEKDAYS].index(day) if day else None
        if name in ("prompt_local_time", "starts_on", "ends_on"):
            return self.when(node, path, time if name == "prompt_local_time" else date)
        if name in ("name", "prompt_track", "timezone"):
            return self.text(node, path)
        if name in WORDINGS:
            if isinstance(node, ScalarNode) and _blank(node):
                return None  # empty: the default wording
            # Generous here: the cohort's rules say how long each may be, with the reason.
            return self.text(node, path, limit=4 * max(WELLBEING_RESOURCES_MAX, STATEMENT_MAX))
        if name.startswith("survey_"):
            return self.names(node, path)
        return self.whole(node, path)

    def names(self, node: Node, field: str) -> list[str] | None:
        """Instrument names: a list, or one name alone; empty sends nothing at that phase."""
        if isinstance(node, ScalarNode) and _blank(node):
            return []
        items = node.value if isinstance(node, SequenceNode) else [node]
        if any(not isinstance(item, ScalarNode) for item in items):
            self.fail(node, field, "expected a list of instrument names, e.g. [belonging, burnout]")
            return None
        found = [self.text(item, field, "an instrument name", 64) for item in items]
        return None if None in found else [name for name in found if name is not None]

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
        if isinstance(node, ScalarNode) and _blank(node):
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
        given = {k: v for k, v in keys.items() if not (isinstance(v, ScalarNode) and _blank(v))}
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

    def words(self, node: Node, field: str, limit: int) -> str | None:
        """A list (or comma-separated text) of short phrases, stored as comma-separated text."""
        words: list[str] = []
        for item in node.value if isinstance(node, SequenceNode) else [node]:
            value = self.text(item, field, "a phrase or a list of phrases", limit)
            if value is None:
                return None
            words += [word.strip() for word in value.split(",") if word.strip()]
        if len(", ".join(words)) > limit:
            self.fail(node, field, f"keep it to {limit} characters in all")
            return None
        return ", ".join(words)

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
                self.problems.append(FileProblem(self.file, ref.line, ref.field, message))
            seen.setdefault(ref.key, ref.line)
        return refs


def _blank(node: ScalarNode) -> bool:
    return node.tag == NULL or not str(node.value).strip()
