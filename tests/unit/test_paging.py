"""Turning the pages of a list that changes between two presses: nobody is passed over going forward."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from circles.domain.paging import Packing, Turn, Way, Window, packed_window, window

PER_PAGE = 5


def pressed(keys: list[str], page: int, way: Way, shown: tuple[int, int]) -> Turn:
    """The turn a button of the page showing keys[start:end] asks for, as its block names that page."""
    return Turn(page, way, keys[shown[0]], keys[shown[1] - 1])


def changed(keys: list[str], change: str, at: int) -> tuple[list[str], str | None]:
    """The list after one change, and who moved (they may go up past a page the person already saw)."""
    fresh, who = list(keys), keys[at]
    if change == "leaves":
        fresh.remove(who)
        return fresh, None
    if change == "fills up":  # full ones go to the end
        fresh.remove(who)
        return [*fresh, who], None
    if change == "gets room":  # up to the top
        fresh.remove(who)
        return [who, *fresh], who
    fresh.insert(at, "new")
    return fresh, "new"


@given(
    total=st.integers(PER_PAGE + 1, 40),
    presses=st.integers(0, 6),
    change=st.sampled_from(["leaves", "fills up", "gets room", "joins"]),
    where=st.floats(0, 1, exclude_max=True),
)
def test_nobody_not_yet_shown_is_passed_over_by_next_when_one_person_changes_meanwhile(
    total: int, presses: int, change: str, where: float
) -> None:
    keys = [f"U{n:03d}" for n in range(total)]
    shown = window(keys, PER_PAGE)
    for _ in range(presses):  # to some page, the list unchanged on the way
        if shown.end == total:
            break
        shown = window(keys, PER_PAGE, pressed(keys, shown.number + 1, Way.ON, (shown.start, shown.end)))
    if shown.end == total:
        return  # the last page has no Next
    fresh, moved = changed(keys, change, int(where * total))
    turned = window(fresh, PER_PAGE, pressed(keys, shown.number + 1, Way.ON, (shown.start, shown.end)))
    not_yet_shown = [key for key in keys[shown.end :] if key in fresh and key != moved]
    assert all(fresh.index(key) >= turned.start for key in not_yet_shown)
    assert turned.end - turned.start == min(PER_PAGE, len(fresh) - turned.start)


def test_unchanged_pages_follow_each_other_and_each_is_counted_once() -> None:
    keys = [f"U{n:03d}" for n in range(12)]
    first = window(keys, PER_PAGE)
    second = window(keys, PER_PAGE, pressed(keys, 1, Way.ON, (first.start, first.end)))
    third = window(keys, PER_PAGE, pressed(keys, 2, Way.ON, (second.start, second.end)))
    assert [(w.start, w.end, w.number, w.pages) for w in (first, second, third)] == [
        (0, 5, 0, 3),
        (5, 10, 1, 3),
        (10, 12, 2, 3),
    ]
    back = window(keys, PER_PAGE, pressed(keys, 1, Way.BACK, (third.start, third.end)))
    assert (back.start, back.end) == (5, 10)


@pytest.mark.parametrize(
    "turn",
    [
        Turn(1, Way.ON),  # a button drawn before buttons named their page: the page number
        Turn(1, Way.ON, "nobody", "U009"),  # one that names nobody listed
        Turn(999_999, Way.ON),  # far past the end: the last page
        Turn(1, Way.BACK, "U011", "U010"),
        Turn(1, Way.AGAIN, "x" * 300, ""),
    ],
)
def test_a_page_button_naming_nobody_listed_or_asking_past_the_end_shows_a_page_there_is(turn: Turn) -> None:
    keys = [f"U{n:03d}" for n in range(12)]
    shown = window(keys, PER_PAGE, turn)
    assert 0 <= shown.start < shown.end <= 12
    assert shown.number < shown.pages


@given(
    sizes=st.lists(st.integers(1, 30), min_size=2, max_size=60),
    presses=st.integers(0, 6),
    change=st.sampled_from(["leaves", "fills up", "gets room", "joins"]),
    where=st.floats(0, 1, exclude_max=True),
)
def test_pages_holding_as_many_as_fit_pass_nobody_over_when_one_entry_changes_meanwhile(
    sizes: list[int], presses: int, change: str, where: float
) -> None:
    """Entries of varying size (a pair with reasons is long, a steady one short), two sections a page."""
    keys = [f"U{n:03d}" for n in range(len(sizes))]
    size_of = dict(zip(keys, sizes, strict=True)) | {"new": 7}
    shown = packed_window(keys, Packing(sizes, 30, 2))
    for _ in range(presses):
        if shown.end == len(keys):
            break
        shown = packed_window(keys, Packing(sizes, 30, 2), packed_pressed(keys, shown, Way.ON))
    if shown.end == len(keys):
        return
    fresh, moved = changed(keys, change, int(where * len(keys)))
    packing = Packing([size_of[key] for key in fresh], 30, 2)
    turned = packed_window(fresh, packing, packed_pressed(keys, shown, Way.ON))
    not_yet_shown = [key for key in keys[shown.end :] if key in fresh and key != moved]
    assert all(fresh.index(key) >= turned.start for key in not_yet_shown)
    assert turned.end == packing.end_from(turned.start)
    assert turned.number < turned.pages
    if turned.number:  # it has a Previous: none is left out between
        back = packed_window(fresh, packing, packed_pressed(fresh, turned, Way.BACK))
        assert back.start < turned.start <= back.end


def packed_pressed(keys: list[str], shown: Window, way: Way) -> Turn:
    return Turn(shown.number + way, way, keys[shown.start], keys[shown.end - 1], shown.end - shown.start)


def test_packed_pages_follow_each_other_as_packed_from_the_top() -> None:
    sizes = [10, 25, 3, 3, 3, 20, 29, 1, 1, 1, 1, 30]
    keys = [f"U{n:03d}" for n in range(len(sizes))]
    packing = Packing(sizes, 30, 2)
    pages = [packed_window(keys, packing)]
    while pages[-1].end < len(keys):
        pages.append(packed_window(keys, packing, packed_pressed(keys, pages[-1], Way.ON)))
    assert [(w.start, w.end, w.number, w.pages) for w in pages] == [(0, 3, 0, 3), (3, 7, 1, 3), (7, 12, 2, 3)]
    assert pages == [packed_window(keys, packing, Turn(n)) for n in range(3)]
    back = packed_window(keys, packing, packed_pressed(keys, pages[2], Way.BACK))
    assert (back.start, back.end) == (3, 7)
