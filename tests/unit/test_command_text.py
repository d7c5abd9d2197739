"""How `/circles` text is read: every documented subcommand, and anything else."""

from __future__ import annotations

import pytest

from bot.listeners.commands import SUBCOMMANDS
from bot.subcommands import parse


@pytest.mark.parametrize("text", ["", "   ", None, "help", "HELP", "  help  "])
def test_empty_text_and_help_both_mean_help(text: str | None) -> None:
    assert parse(text, SUBCOMMANDS).key == "help"


@pytest.mark.parametrize(
    ("text", "key", "rest"),
    [
        ("join pgy1-spring", "join", "pgy1-spring"),
        ("leave", "leave", ""),
        ("pause 3", "pause", "3"),
        ("profile", "profile", ""),
        ("profile <@U0ALICE|alice>", "profile @user", "<@U0ALICE|alice>"),
        ("coaches  quality   improvement", "coaches", "quality   improvement"),
        ("support I'm finding this hard", "support", "I'm finding this hard"),
        ("cohort create pgy1 PGY-1 residents, spring", "cohort create", "pgy1 PGY-1 residents, spring"),
        ("Cohort Config pgy1", "cohort config", "pgy1"),
        ("match pgy1 preview", "match", "pgy1 preview"),
    ],
)
def test_known_subcommands_keep_the_words_after_them(text: str, key: str, rest: str) -> None:
    parsed = parse(text, SUBCOMMANDS)
    assert parsed.key == key
    assert parsed.rest == rest
    assert parsed.args == tuple(rest.split())


@pytest.mark.parametrize("text", ["dance", "cohort", "cohort delete pgy1", "joinpgy1", "<!channel>"])
def test_anything_else_names_no_subcommand_and_keeps_the_word_to_quote(text: str) -> None:
    parsed = parse(text, SUBCOMMANDS)
    assert parsed.key is None
    assert parsed.word == text.split()[0]


def test_the_catalog_lists_every_subcommand_of_the_design() -> None:
    keys = {sub.key for sub in SUBCOMMANDS}
    assert keys == {
        "help",
        "join",
        "leave",
        "pause",
        "resume",
        "profile",
        "profile @user",
        "coaches",
        "status",
        "checkin",
        "support",
        "away",
        "back",
        "consent",
        "cohort create",
        "cohort config",
        "match",
        "health",
        "report",
    }
