"""What an import of a cohort file reports: each change it made (or, in a dry run, would make)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from circles.services.partnerships.endings import KeptCompleted


class ChangeKind(StrEnum):
    COHORT_CREATED = "cohort created"
    SETTING_CHANGED = "setting changed"
    FACILITATOR_ADDED = "facilitator added"
    FACILITATOR_REMOVED = "facilitator removed"
    MEMBER_ADDED = "member added"
    ROLE_CHANGED = "role changed"
    STATUS_CHANGED = "status changed"
    PROFILE_CHANGED = "profile changed"


@dataclass(frozen=True)
class Change:
    kind: ChangeKind
    subject: str  # a setting's key in the file, or a Slack user ID
    detail: str = ""


@dataclass(frozen=True)
class ImportReport:
    team_id: str
    slug: str
    changes: list[Change]
    not_in_file: list[str]  # active or paused members the file does not list: kept as they are
    applied: bool  # False for a dry run, and when nothing needed changing
    welcomed: int = 0  # people added (or back) who are sent a private welcome; a dry run's would be
    kept_completed: tuple[KeptCompleted, ...] = ()  # pairs the end moved later left completed: no room
