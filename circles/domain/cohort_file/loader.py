"""The YAML a cohort file is read with: safe, and refusing tags, aliases, deep nesting, overlong lists and
mappings, and more values than a file of the most members holds."""

from __future__ import annotations

from typing import Any

from yaml.composer import Composer, ComposerError
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node, SequenceNode

from circles.domain.cohort_file.schema import (
    COHORT_KEYS,
    MAX_DEPTH,
    MAX_KEYS,
    MAX_MEMBERS,
    MAX_VALUES,
    MEMBER_KEYS,
)

SPLIT = "split them over several files (members missing from a file are kept)"


class NotAllowed(ComposerError):
    """Valid YAML that a cohort file does not take: a tag, an alias, or more of something than it holds."""


# libyaml's parser, which the PyYAML wheels carry, reads a file of thousands of members several times
# faster than PyYAML's own; a PyYAML built without it reads the same files with its own parser.
try:
    from yaml import CSafeLoader as _Parsing
except ImportError:  # pragma: no cover - a PyYAML built without libyaml
    from yaml import SafeLoader as _Parsing  # type: ignore[assignment]


class Loader(_Parsing):
    """PyYAML's composer over libyaml's parser, refusing tags, aliases, nesting deeper than MAX_DEPTH, lists
    and mappings longer than a file needs, and more than MAX_VALUES values in all. The composer stays
    PyYAML's, in Python, so that the checks below see each node before it is built."""

    depth = 0
    values = 0  # composed so far: the file under MAX_BYTES may still hold millions of one-letter values
    get_single_node = Composer.get_single_node
    compose_document = Composer.compose_document
    compose_scalar_node = Composer.compose_scalar_node
    compose_sequence_node = Composer.compose_sequence_node
    compose_mapping_node = Composer.compose_mapping_node

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.anchors: dict[str, Node] = {}  # what Composer.__init__ sets

    def compose_node(self, parent: Node | None, index: int) -> Node | None:
        event: Any = self.peek_event()  # libyaml's marks are typed apart from PyYAML's, alike in use
        # An alias repeats a whole value where it is named: a few kilobytes of them make millions of
        # values to read. Nobody needs one to list people, so none is taken.
        if self.check_event(AliasEvent):
            message = "YAML aliases (*name) are not allowed: write each value out"
            raise NotAllowed(None, None, message, event.start_mark)
        tag = getattr(event, "tag", None)
        # Values are read as written, so no tag is ever needed; `!!python/object…` is for another program.
        if tag not in (None, "!"):
            shown = str(tag).replace("tag:yaml.org,2002:", "!!")
            message = f"YAML tags (`{shown}`) are not allowed: write plain values"
            raise NotAllowed(None, None, message, event.start_mark)
        if isinstance(parent, SequenceNode) and index >= MAX_MEMBERS:  # before composing the rest of it
            message = (
                f"more than {MAX_MEMBERS:,} entries in one list; a file holds at most {MAX_MEMBERS:,} "
                f"members: {SPLIT}"
            )
            raise NotAllowed(None, None, message, event.start_mark)
        # A key (index None) after MAX_KEYS of them: each unknown one would be a problem to say, and hint at.
        if isinstance(parent, MappingNode) and index is None and len(parent.value) >= MAX_KEYS:
            message = (
                f"more than {MAX_KEYS} keys in one place; `cohort:` takes {len(COHORT_KEYS)} and a member "
                f"{len(MEMBER_KEYS)}: remove the unknown ones"
            )
            raise NotAllowed(None, None, message, event.start_mark)
        self.values += 1
        if self.values > MAX_VALUES:
            message = (
                f"more than {MAX_VALUES:,} values (keys, settings, phrases) in one file, room for "
                f"{MAX_VALUES // MAX_MEMBERS} for each of {MAX_MEMBERS:,} members: shorten their lists, "
                f"or {SPLIT}"
            )
            raise NotAllowed(None, None, message, event.start_mark)
        if self.depth >= MAX_DEPTH:
            raise ComposerError(None, None, f"nested too deeply (over {MAX_DEPTH} levels)", event.start_mark)
        self.depth += 1
        try:
            return Composer.compose_node(self, parent, index)  # type: ignore[arg-type]
        finally:
            self.depth -= 1
