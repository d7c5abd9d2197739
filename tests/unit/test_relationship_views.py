"""Status and Home show every partner with its own buttons, and collapse within Slack's limits."""

from __future__ import annotations

import itertools
import json
from datetime import UTC, datetime
from typing import Any

from bot import ids
from bot.views.home import home_view
from bot.views.relationships import partners_modal, status_message
from circles.domain.health import Signals
from circles.domain.health.signals import PartnerSignals
from circles.domain.vocabulary import (
    MemberStatus,
    PairingMode,
    PartnershipHealthState,
    PartnershipKind,
    PartnershipStatus,
    Role,
)
from circles.services.health.boards import Board
from circles.services.health.recompute import PartnershipHealth
from circles.services.partnerships.running import CircleStatus, PartnerStatus
from circles.services.people.status import CohortStatus, RunCohort
from tests.slack_extremes import CIRCLE_NAME, COHORT_NAME
from tests.slack_limits import problems

NOW = datetime(2027, 1, 4, 15, tzinfo=UTC)
IDS = itertools.count(5000)  # partnership ids, unique across every cohort a test builds
LONG_NAME = "<Résidents & co> " * 7  # 119 characters, every one of them a markup character at worst


def cohort(slug: str, partners: int, *, paused: int = 0, name: str | None = None) -> CohortStatus:
    people = tuple(
        PartnerStatus(
            partnership_id=next(IDS),
            partner_user_id=f"U0{slug.upper()}{n:03d}",
            kind=PartnershipKind.COACH_LEARNER,
            status=PartnershipStatus.PAUSED if n < paused else PartnershipStatus.ACTIVE,
            started_at=NOW,
        )
        for n in range(partners)
    )
    circles = tuple(CircleStatus(LONG_NAME[:80], f"C0{slug.upper()}{n}") for n in range(4))
    return CohortStatus(
        slug, name or LONG_NAME, Role.COACH, MemberStatus.ACTIVE, None, circles, people, NOW, NOW
    )


def shown(surface: object) -> str:
    return json.dumps(surface, ensure_ascii=False)


def buttons(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    found = [e for b in blocks if b["type"] == "actions" for e in b["elements"]]
    return found + [b["accessory"] for b in blocks if "accessory" in b]


def test_each_partner_has_its_own_pause_end_and_support_buttons() -> None:
    alpha = cohort("alpha", 3, paused=1)
    blocks = status_message([alpha]).block_dicts()
    first, second, third = (str(p.partnership_id) for p in alpha.partners)
    text = shown(blocks)
    for n in range(3):
        assert f"Your coaching partner: <@U0ALPHA{n:03d}>" in text
    by_action: dict[str, list[str]] = {}
    for button in buttons(blocks):
        by_action.setdefault(button["action_id"], []).append(button["value"])
    assert by_action[ids.PARTNERSHIP_RESUME] == [first]  # the paused one
    assert by_action[ids.PARTNERSHIP_PAUSE] == [second, third]
    assert by_action[ids.PARTNERSHIP_END_OPEN] == [first, second, third]
    assert by_action[ids.SUPPORT_OPEN] == [f"p:{first}", f"p:{second}", f"p:{third}"]
    assert ids.RELATIONSHIPS_MORE not in by_action
    assert "&lt;Résidents &amp; co&gt;" in text
    assert "<Résidents" not in text
    assert problems({"text": "t", "blocks": blocks}) == []


def test_many_partners_collapse_to_five_and_a_button_to_see_them_all() -> None:
    blocks = status_message([cohort("alpha", 25)]).block_dicts()
    assert len([b for b in buttons(blocks) if b["action_id"] == ids.PARTNERSHIP_END_OPEN]) == 5
    [more] = [b for b in buttons(blocks) if b["action_id"] == ids.RELATIONSHIPS_MORE]
    assert more["value"] == "alpha"
    assert "…and 20 more partners" in shown(blocks)
    assert problems({"text": "t", "blocks": blocks}) == []


def test_the_list_of_all_partners_holds_twenty_five_with_their_buttons_in_one_modal() -> None:
    view = partners_modal(cohort("alpha", 25), note="Your partnership in *Alpha* is paused.").to_dict()
    assert len([b for b in buttons(view["blocks"]) if b["action_id"] == ids.SUPPORT_OPEN]) == 25
    assert view["private_metadata"] == "alpha"
    assert problems(view) == []


def test_a_list_longer_than_a_modal_names_the_rest() -> None:
    view = partners_modal(cohort("alpha", 300)).to_dict()
    assert problems(view) == []
    assert "…and 251 more: <@U0ALPHA049>, <@U0ALPHA050>" in shown(view)


def test_status_stays_within_a_message_for_many_cohorts_of_many_partners() -> None:
    for count in (1, 4, 10, 30, 60):
        statuses = [cohort(f"c{n:02d}", 25) for n in range(count)]
        blocks = status_message(statuses).block_dicts()
        assert problems({"text": "t", "blocks": blocks}) == [], count
    assert "more cohorts: `c" in shown(blocks)


def test_one_cohort_left_over_from_status_is_named_as_one_more_cohort() -> None:
    blocks = status_message([cohort(f"c{n:02d}", 1) for n in range(25)]).block_dicts()
    assert problems({"text": "t", "blocks": blocks}) == []
    assert "…and 1 more cohort: `c24`." in shown(blocks)
    assert "1 more cohorts" not in shown(blocks)


def waiting_learner(*, paused: bool) -> CohortStatus:
    """A learner whose partnership ended, in a cohort and five circles with the longest names of `&`."""
    circles = tuple(CircleStatus("&" * CIRCLE_NAME, f"C0{n:030d}") for n in range(5))
    return CohortStatus(
        "s" * 40, "&" * COHORT_NAME, Role.LEARNER, MemberStatus.PAUSED if paused else MemberStatus.ACTIVE,
        NOW if paused else None, circles, (), NOW, NOW, PairingMode.COACH_LEARNER, partnership_ended=paused,
    )  # fmt: skip


def test_a_learner_waiting_for_a_coach_in_the_longest_named_cohort_and_circles_fits_one_section() -> None:
    for paused in (False, True):
        learner = waiting_learner(paused=paused)
        one = status_message([learner]).block_dicts()
        assert problems({"text": "t", "blocks": one}) == []
        assert shown(one).count("<#C0") == 5  # one cohort asked about: every circle, each named whole
        several = status_message([learner, learner]).block_dicts()
        assert problems({"text": "t", "blocks": several}) == []
        assert "`/circles status ssss" in shown(several)  # the circles not named are one command away
        assert shown(several).count("Next check-in") == 2  # nothing cut off the end
        assert problems(home_view([learner]).to_dict()) == []
        assert ("Paused until" in shown(one)) is paused
        assert ("Your partnership ended" in shown(one)) is paused
        assert ("No coach yet" in shown(one)) is not paused


def test_home_of_a_facilitator_of_fifty_cohorts_pages_them_within_a_hundred_blocks() -> None:
    runs = [RunCohort(f"run{n:02d}", LONG_NAME) for n in range(50)]
    health = [Board(run.slug, run.name, [_struggling(n) for n in range(30)]) for run in runs]
    mine = [cohort(f"m{n}", 25) for n in range(3)]
    first = home_view(mine, runs, False, health).to_dict()
    assert problems(first) == []
    text = shown(first)
    assert "Cohorts 1–10 of 50 …and 40 more." in text
    assert "run09" in text
    assert "run10" not in text
    [following] = [b for b in buttons(first["blocks"]) if b["action_id"].startswith(ids.HOME_RUNS_PAGE)]
    assert following["value"] == "1"
    last = home_view(mine, runs, False, health, runs_page=4).to_dict()
    assert problems(last) == []
    assert "Cohorts 41–50 of 50." in shown(last)
    assert "run49" in shown(last)
    pager = [b["value"] for b in buttons(last["blocks"]) if b["action_id"].startswith(ids.HOME_RUNS_PAGE)]
    assert pager == ["3"]


def test_home_shows_every_partner_of_a_coach_with_three() -> None:
    view = home_view([cohort("alpha", 2), cohort("beta", 1)]).to_dict()
    values = [b["value"] for b in buttons(view["blocks"]) if b["action_id"] == ids.SUPPORT_OPEN]
    assert len(values) == 3
    assert problems(view) == []


def _struggling(number: int) -> PartnershipHealth:
    quiet = Signals(PartnerSignals(), PartnerSignals(), met_ever=True, days_without_meeting=3, checkins_due=2)
    return PartnershipHealth(
        number, 1, 1, PartnershipKind.COACH_LEARNER, f"U0G{number}", f"U0L{number}",
        PartnershipHealthState.STRUGGLING, (), quiet, 0, (), NOW, False,
    )  # fmt: skip
