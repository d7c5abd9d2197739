"""How `/circles` text is read: every documented subcommand, and anything else."""

from __future__ import annotations

import pytest

from bot.listeners.commands import SUBCOMMANDS
from bot.subcommands import parse
from bot.views.text import as_seen


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


@pytest.mark.parametrize(
    ("sent", "seen"),
    [
        ("ask <@U0ADA|ada> or <@W0GRID>", "ask @ada or @W0GRID"),
        ("in <#C0123|general> or <#C0PRIV|>", "in #general or #C0PRIV"),
        ("<!here> <!channel> <!everyone> <!here|here>", "@here @channel @everyone @here"),
        ("<!subteam^S0NURSE|@nurses> <!subteam^S0DOCS>", "@nurses @S0DOCS"),
        ("<!date^1700000000^{date}|14 Nov>", "14 Nov"),
        ("<https://x.org/?a=1&amp;b=2|the &lt;rota&gt;>", "the <rota> (https://x.org/?a=1&b=2)"),
        ("<https://x.org> <mailto:a@x.org|a@x.org>", "https://x.org a@x.org"),
        ("typed &lt;@U0ADA&gt; and &lt;!here&gt; &amp;amp; a&lt;3", "typed <@U0ADA> and <!here> &amp; a<3"),
    ],
)
def test_slack_tokens_in_command_text_read_as_the_words_the_person_saw(sent: str, seen: str) -> None:
    assert as_seen(sent) == seen
