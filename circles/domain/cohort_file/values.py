"""Values read from a cohort file's YAML nodes as written, each problem kept with its line and field."""

from __future__ import annotations

import contextlib
import difflib
from collections.abc import Collection
from datetime import date, time
from typing import Any

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from circles.domain.cohort_file.problems import FileProblem
from circles.domain.cohort_file.schema import LISTED_PROBLEMS, NULL, SUB_KEYS, TIME, WHOLE
from circles.domain.text import clean_typed


class NodeReader:
    """Walks the composed YAML nodes, keeping values as written and collecting problems: the first
    LISTED_PROBLEMS of them, and how many more (`unlisted`)."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[FileProblem] = []
        self.unlisted = 0

    def fail(self, node: Node | None, field: str, message: str) -> None:
        line = node.start_mark.line + 1 if node is not None else 1
        self.add(FileProblem(self.file, line, field, message))

    def add(self, problem: FileProblem) -> None:
        if self.full:
            self.unlisted += 1
        else:
            self.problems.append(problem)

    @property
    def full(self) -> bool:
        """Whether a problem found now is only counted: a file wrong throughout says its first lines."""
        return len(self.problems) >= LISTED_PROBLEMS

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
            if key not in allowed and self.full:
                self.unlisted += 1  # counted without a hint: difflib over thousands of keys takes seconds
            elif key not in allowed:
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

    def names(self, node: Node, field: str) -> list[str] | None:
        """Instrument names: a list, or one name alone; empty sends nothing at that phase."""
        if isinstance(node, ScalarNode) and blank(node):
            return []
        items = node.value if isinstance(node, SequenceNode) else [node]
        if any(not isinstance(item, ScalarNode) for item in items):
            self.fail(node, field, "expected a list of instrument names, e.g. [belonging, burnout]")
            return None
        found = [self.text(item, field, "an instrument name", 64) for item in items]
        return None if None in found else [name for name in found if name is not None]

    def words(self, node: Node, field: str, limit: int) -> str | None:
        """A list (or comma-separated text) of short phrases, stored as comma-separated text."""
        words: list[str] = []
        length = -2  # of the text so far: no ", " before the first phrase
        for item in node.value if isinstance(node, SequenceNode) else [node]:
            value = self.text(item, field, "a phrase or a list of phrases", limit)
            if value is None:
                return None
            for word in value.split(","):
                if word := word.strip():
                    words.append(word)
                    length += len(word) + 2
            if length > limit:  # said at once: the rest of a long list is never read
                self.fail(node, field, f"keep it to {limit} characters in all")
                return None
        return ", ".join(words)


def blank(node: ScalarNode) -> bool:
    """Left empty (or `~`): as if not written."""
    return node.tag == NULL or not str(node.value).strip()
