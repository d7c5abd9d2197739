"""A facilitator who is also one of a pair: the one rule that keeps that pair from them."""

from __future__ import annotations

from circles.domain.own_pairs import one_of_the_pair, who_may_hear


def test_either_partner_is_one_of_the_pair_and_nobody_else_is() -> None:
    assert one_of_the_pair("U1", ("U1", "U2"))
    assert one_of_the_pair("U2", ("U1", "U2"))
    assert not one_of_the_pair("U3", ("U1", "U2"))


def test_nobody_and_a_partner_left_unknown_are_not_one_of_the_pair() -> None:
    assert not one_of_the_pair(None, ("U1", None))
    assert not one_of_the_pair("U2", ("U1", None))


def test_everyone_but_the_partners_may_hear_of_the_pair_once_each_in_order() -> None:
    assert who_may_hear(["U9", "U1", "U5", "U9"], {"U1", "U2"}) == ["U5", "U9"]
    assert who_may_hear(["U1", "U2"], ("U1", "U2")) == []
