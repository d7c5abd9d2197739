"""A cohort file's problems, each pinned to a line and a field, and the refusal that lists them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from circles.domain.cohort_file.contents import CohortFile, PersonRef


@dataclass(frozen=True)
class FileProblem:
    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.field}: {self.message}"


class CohortFileInvalid(Exception):
    """The file breaks a rule; `problems` has one entry per problem, in file order, and `unlisted` counts
    those found past the first ones, not kept."""

    def __init__(self, problems: list[FileProblem], unlisted: int = 0) -> None:
        self.problems = sorted(problems, key=lambda problem: problem.line)
        self.unlisted = unlisted
        super().__init__("\n".join(map(str, self.problems)))


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
