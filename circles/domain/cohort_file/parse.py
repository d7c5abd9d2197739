"""Read a cohort file (YAML): settings and members, with every problem pinned to a line and a field."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

import yaml
from yaml.nodes import MappingNode

from circles.domain.cohort_file.cohort_section import CohortReader
from circles.domain.cohort_file.contents import CohortFile
from circles.domain.cohort_file.loader import Loader, NotAllowed
from circles.domain.cohort_file.problems import CohortFileInvalid, FileProblem
from circles.domain.cohort_file.schema import KEPT_UNLESS_WRITTEN


def parse_cohort_file(
    text: str,
    file: str,
    known_tracks: frozenset[str] | None = None,
    today: date | None = None,
    known_surveys: Collection[str] | None = None,
    *,
    organisation: bool = False,
) -> CohortFile:
    """Read and check a cohort file; raise CohortFileInvalid listing every problem found.

    With `today`, its dates must fall within a few years of it; with `known_surveys`, its survey plan
    may name only those (the settings form's rules, in circles.domain.cohort_rules); `organisation`: for
    an org-wide tenant, whose circles meet in group DMs.
    """
    try:
        root = yaml.compose(text, Loader=Loader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        valid_yaml = isinstance(error, NotAllowed)
        what = f"{error.problem}" if valid_yaml else f"not valid YAML: {error.problem or error.context}"
        if (
            not valid_yaml
            and "tab" not in what
            and mark is not None
            and _at(text, mark.line, mark.column) == "\t"
        ):
            what += " (a tab: indent with spaces)"
        problem = FileProblem(file, mark.line + 1 if mark else 1, "yaml", what)
        raise CohortFileInvalid([problem]) from None
    except yaml.YAMLError as error:
        raise CohortFileInvalid([FileProblem(file, 1, "yaml", f"not valid YAML: {error}")]) from None
    reader = CohortReader(file, known_tracks, today, known_surveys, organisation=organisation)
    top = reader.mapping(root, "", ("cohort", "members")) if isinstance(root, MappingNode) else {}
    if "cohort" not in top:
        reader.fail(root, "cohort", "missing: a cohort file starts with `cohort:` and its settings")
        raise CohortFileInvalid(reader.problems, reader.unlisted)
    slug, settings, facilitators = reader.cohort(top["cohort"])
    node = top["cohort"]
    written = {str(key.value) for key, _ in node.value} if isinstance(node, MappingNode) else set()
    unwritten = tuple(name for key, name in KEPT_UNLESS_WRITTEN.items() if key not in written)
    members = reader.members(top["members"], settings.pairing_mode) if "members" in top else []
    if reader.problems:
        raise CohortFileInvalid(reader.problems, reader.unlisted)
    return CohortFile(file, slug, reader.slug_line, settings, facilitators, members, unwritten)


def _at(text: str, line: int, column: int) -> str:
    """The character at a parser's mark, or "" past the text."""
    lines = text.split("\n")
    return lines[line][column : column + 1] if 0 <= line < len(lines) and column >= 0 else ""
