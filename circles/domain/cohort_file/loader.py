"""The YAML a cohort file is read with: safe, and refusing tags, overlong lists and deep nesting."""

from __future__ import annotations

import yaml
from yaml.composer import ComposerError
from yaml.nodes import Node, SequenceNode

from circles.domain.cohort_file.schema import MAX_DEPTH, MAX_MEMBERS


class NotAllowed(ComposerError):
    """Valid YAML that a cohort file does not take: a tag, or a list longer than MAX_MEMBERS."""


class Loader(yaml.SafeLoader):
    """SafeLoader's composer, refusing tags, overlong lists and nesting deeper than MAX_DEPTH."""

    depth = 0

    def compose_node(self, parent: Node | None, index: int) -> Node | None:
        event = self.peek_event()  # type: ignore[no-untyped-call]
        tag = getattr(event, "tag", None)
        # Values are read as written, so no tag is ever needed; `!!python/object…` is for another program.
        if tag not in (None, "!"):
            shown = str(tag).replace("tag:yaml.org,2002:", "!!")
            message = f"YAML tags (`{shown}`) are not allowed: write plain values"
            raise NotAllowed(None, None, message, event.start_mark)
        if isinstance(parent, SequenceNode) and index >= MAX_MEMBERS:  # before composing the rest of it
            message = (
                f"more than {MAX_MEMBERS:,} entries in one list; a file holds at most {MAX_MEMBERS:,} "
                "members: split them over several files (members missing from a file are kept)"
            )
            raise NotAllowed(None, None, message, event.start_mark)
        if self.depth >= MAX_DEPTH:
            raise ComposerError(None, None, f"nested too deeply (over {MAX_DEPTH} levels)", event.start_mark)
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1
