"""What a cohort's settings form was opened with, as a short digest of the stored settings.

A form that is saved while the digest still holds writes; one opened before someone else saved (another
facilitator, an admin, a cohort file) is refused, so one save never quietly undoes another's.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection
from dataclasses import fields

from circles.domain.cohort_rules import CohortSettings
from circles.persistence.models import Cohort

# Every column a facilitator's settings are stored in (the form shows them all): one a setting, named as
# the setting but for the thresholds.
SETTINGS_COLUMNS = tuple(
    {"thresholds": "health_thresholds"}.get(f.name, f.name) for f in fields(CohortSettings)
)


def settings_digest(cohort: Cohort, facilitators: Collection[str]) -> str:
    """A digest of the cohort's stored settings and its facilitators, the same in every process."""
    stored = {name: getattr(cohort, name) for name in SETTINGS_COLUMNS}
    stored["facilitators"] = sorted(set(facilitators))
    text = json.dumps(stored, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:20]
