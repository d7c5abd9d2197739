"""The `cohort:` section of a cohort file: its slug, its settings as the settings form checks them."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, time
from typing import Any

from yaml.nodes import MappingNode, Node, ScalarNode

from circles.domain.care import WELLBEING_RESOURCES_MAX
from circles.domain.cohort_file.contents import PersonRef
from circles.domain.cohort_file.people import PeopleReader
from circles.domain.cohort_file.schema import COHORT_KEYS, SETTING_KEYS, SUB_KEYS, WORDINGS
from circles.domain.cohort_file.values import blank
from circles.domain.cohort_rules import WEEKDAYS, CohortSettings, settings_problems, slug_problem
from circles.domain.cohort_settings import PHASES, HealthThresholds, SurveyPlan
from circles.domain.research.consent import STATEMENT_MAX
from circles.domain.vocabulary import MeetingPlace, PairingMode


class CohortReader(PeopleReader):
    """Reads a whole cohort file, with the settings form's rules (`settings_problems`)."""

    def __init__(
        self,
        file: str,
        known_tracks: frozenset[str] | None = None,
        today: date | None = None,
        known_surveys: Collection[str] | None = None,
        *,
        organisation: bool = False,
    ) -> None:
        super().__init__(file)
        self.known_tracks, self.today, self.known_surveys = known_tracks, today, known_surveys
        self.organisation = organisation
        self.slug_line = 1

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
        problems = settings_problems(
            settings, self.known_tracks, self.today, self.known_surveys, organisation=self.organisation
        )
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
            if isinstance(node, ScalarNode) and blank(node):
                return None  # empty: the default wording
            # Generous here: the cohort's rules say how long each may be, with the reason.
            return self.text(node, path, limit=4 * max(WELLBEING_RESOURCES_MAX, STATEMENT_MAX))
        if name.startswith("survey_"):
            return self.names(node, path)
        return self.whole(node, path)
