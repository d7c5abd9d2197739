"""A key prefix as a range: every key that starts with the prefix lies in it, and no other, in the order of
code points (PostgreSQL's "C" collation and SQLite's binary one)."""

from __future__ import annotations

import sys

from hypothesis import example, given
from hypothesis import strategies as st

from circles.queries.outbox.keys import beyond

# Keys are ASCII (templates, ids, Slack IDs, dates); the order holds for any text a database can store.
TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=6)
ASCII = st.text(st.sampled_from("ab:;_%~9" + chr(0x7F)), max_size=6)


def in_range(prefix: str, key: str) -> bool:
    past = beyond(prefix)
    return prefix <= key and (past is None or key < past)


@given(st.one_of(ASCII, TEXT), st.one_of(ASCII, TEXT))
@example("escalation:2", "escalation:21:U0A:open")
@example("escalation:2:", "escalation:21:U0A:open")
@example("escalation:2:", "escalation:2;")
@example("pair_prompt:1:", "pairXprompt:1:2026-01-01")
def test_a_key_is_in_a_prefixs_range_exactly_when_it_starts_with_the_prefix(prefix: str, key: str) -> None:
    assert in_range(prefix, key) == key.startswith(prefix)


@given(st.one_of(ASCII, TEXT), st.one_of(ASCII, TEXT))
def test_a_key_starting_with_the_prefix_and_more_is_in_its_range_too(prefix: str, rest: str) -> None:
    assert in_range(prefix, prefix + rest)


def test_the_range_of_a_prefix_ends_where_its_last_character_moves_one_up() -> None:
    assert beyond("escalation:2:") == "escalation:2;"
    assert beyond("a" + chr(sys.maxunicode)) == "b"  # no character comes after the last one
    assert beyond(chr(sys.maxunicode)) is None
    assert beyond("a" + chr(0xD7FF)) == "a" + chr(0xE000)  # surrogates are never stored
