"""All of someone's partners, page by page: every partner with their buttons, each page in a modal."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from bot import ids
from bot.views.relationships import partners_modal
from circles.domain.vocabulary import MemberStatus, PartnershipKind, PartnershipStatus, Role
from circles.services.partnerships.running import PartnerStatus
from circles.services.people.status import CohortStatus
from tests.slack_limits import assert_within_limits

NOW = datetime(2027, 1, 4, 15, tzinfo=UTC)
LONG_NAME = "Résidents & co <" * 5
NOTE = "Your partnership in *Alpha* is paused. <@U0P00000> is told only that."


def coach(count: int) -> CohortStatus:
    people = tuple(
        PartnerStatus(n + 1, f"U0P{n:05d}", PartnershipKind.COACH_LEARNER, PartnershipStatus.ACTIVE, NOW)
        for n in range(count)
    )
    return CohortStatus("alpha", LONG_NAME, Role.COACH, MemberStatus.ACTIVE, None, (), people, NOW, NOW)


def buttons(view: dict[str, Any]) -> list[dict[str, Any]]:
    blocks = view["blocks"]
    found = [e for b in blocks if b["type"] == "actions" for e in b["elements"]]
    return found + [b["accessory"] for b in blocks if "accessory" in b]


def turns(view: dict[str, Any]) -> dict[str, str]:
    """The page buttons: "previous" / "next" and the value each carries."""
    prefix = f"{ids.RELATIONSHIPS_PAGE}:"
    return {
        b["action_id"].removeprefix(prefix): b["value"]
        for b in buttons(view)
        if b["action_id"].startswith(prefix)
    }


def acted_on(view: dict[str, Any]) -> list[str]:
    """The partnerships the page has an end button for."""
    return [b["value"] for b in buttons(view) if b["action_id"] == ids.PARTNERSHIP_END_OPEN]


def every_page(
    status: CohortStatus, note: str | None = None, turned: dict[int, dict[str, Any]] | None = None
) -> list[dict[str, Any]]:
    """Each page, reached by pressing Next from the first, as the listener would turn them. A page turned
    to never carries a note, so `turned` keeps each one for the next time through the same list."""
    turned = {} if turned is None else turned
    pages = [partners_modal(status, note=note).to_dict()]
    while "next" in turns(pages[-1]):
        slug, _, page = turns(pages[-1])["next"].rpartition(":")
        assert slug == "alpha"
        if int(page) not in turned:
            turned[int(page)] = partners_modal(status, page=int(page)).to_dict()
        pages.append(turned[int(page)])
        assert len(pages) < 100
    return pages


@pytest.mark.parametrize("count", [0, 1, 49, 50, 98, 99, 3000])
def test_every_partner_has_their_buttons_on_some_page_and_each_page_fits_a_modal(count: int) -> None:
    status = coach(count)
    turned: dict[int, dict[str, Any]] = {}  # the pages after the first, the same with a note or without
    for note in (None, NOTE):
        pages = every_page(status, note, turned)
        for view in pages:
            assert_within_limits(view, typed=[LONG_NAME])
        reached = [value for view in pages for value in acted_on(view)]
        assert reached == [str(p.partnership_id) for p in status.partners]


def test_a_short_list_is_one_page_without_page_buttons() -> None:
    for count in (0, 49):
        view = partners_modal(coach(count)).to_dict()
        assert turns(view) == {}
        assert "Page 1" not in json.dumps(view)


def test_fifty_partners_make_two_pages_the_second_with_the_fiftieth() -> None:
    first = partners_modal(coach(50)).to_dict()
    assert turns(first) == {"next": "alpha:1"}
    assert len(acted_on(first)) == 49
    assert "Page 1 of 2." in json.dumps(first)
    second = partners_modal(coach(50), page=1).to_dict()
    assert turns(second) == {"previous": "alpha:0"}
    assert acted_on(second) == ["50"]
    assert "<@U0P00049>" in json.dumps(second)
    assert "Page 2 of 2." in json.dumps(second)


def test_three_thousand_partners_have_previous_and_next_on_a_middle_page() -> None:
    middle = partners_modal(coach(3000), page=30).to_dict()
    assert turns(middle) == {"previous": "alpha:29", "next": "alpha:31"}
    assert "Page 31 of 62." in json.dumps(middle)
    assert middle["private_metadata"] == "alpha"  # what a button pressed on the page acts in


@pytest.mark.parametrize(("asked", "shown"), [(-5, 1), (2, 2), (61, 2), (10**9, 2)])
def test_a_page_past_either_end_shows_the_nearest_page_there_is(asked: int, shown: int) -> None:
    view = partners_modal(coach(50), page=asked).to_dict()
    assert f"Page {shown} of 2." in json.dumps(view)
    assert_within_limits(view)


def test_a_full_page_keeps_the_note_of_what_just_changed() -> None:
    view = partners_modal(coach(3000), note=NOTE).to_dict()
    assert len(acted_on(view)) == 49
    assert "is paused" in json.dumps(view)
    assert_within_limits(view)
