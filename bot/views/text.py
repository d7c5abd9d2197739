"""Safe text for Slack: escaped once, and shortened after escaping, never inside an escape or a token.

In mrkdwn, `&`, `<` and `>` are control characters: what people write is escaped (`&amp;`, `&lt;`,
`&gt;`) so it shows as written, and Slack's own tokens (`<@U…>`, `<#C…>`, `<!date^…|…>`,
`<https://…|…>`) stay whole. Lengths are measured in UTF-16 code units, as Slack's limits may count
them (an emoji twice): never fewer than Python's characters, so what fits here fits in Slack.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# Escaping and Slack's way of counting are the domain's (its rules count too); views use them from here.
from circles.domain.text import mrkdwn as mrkdwn
from circles.domain.text import slack_length as slack_length
from circles.messages import UNNAMED

ELLIPSIS = "…"
ERASED_MEMBER = "an erased member"  # as reports name them (`services/reports/individual.ERASED_MEMBER`)
_ENTITY = re.compile(r"&(amp|lt|gt);")
_UNESCAPED = {"amp": "&", "lt": "<", "gt": ">"}
# The pieces a cut may fall between: an escape, a Slack token, a flag, or one character together with
# the marks that belong to it (accents, variation selectors, skin tones, emoji joined by ZWJ).
_MARKS = r"[\u0300-\u036f\u1ab0-\u1aff\u20d0-\u20ff\ufe00-\ufe0f\U0001f3fb-\U0001f3ff\U000e0020-\U000e007f]"
_PIECE = re.compile(
    r"&(?:amp|lt|gt);|<[^<>]*>|[\U0001f1e6-\U0001f1ff]{2}|.(?:" + _MARKS + r"|\u200d[^&<])*", re.DOTALL
)
_PLAIN_PIECE = re.compile(r"[\U0001f1e6-\U0001f1ff]{2}|.(?:" + _MARKS + r"|\u200d.)*", re.DOTALL)
# What Slack sends for a slash command: `&`, `<` and `>` typed arrive escaped, so every `<…>` is a token
# (a mention, channel, `<!here>`, user group, date or link), its label escaped too.
_SENT = re.compile(r"&(amp|lt|gt);|<([@#!]?)([^<>|]*)(?:\|([^<>]*))?>")
_EVERYONE = frozenset({"here", "channel", "everyone"})


def from_slack(text: str) -> str:
    """What someone typed, from Slack's escaped form (slash command text): `&amp;` back to `&`, once."""
    return _ENTITY.sub(lambda found: _UNESCAPED[found.group(1)], text)


def as_seen(sent: str) -> str:
    """What someone typed, from Slack's escaped form, each token as the words they saw in their message box:
    `<@U1|ann>` is `@ann`, `<#C1|general>` `#general`, `<!here>` `@here`, `<https://x|rota>` `rota (https://x)`.

    Words, never markup: stored and shown escaped like any typed text, they can mention or link nobody.
    """
    return _SENT.sub(_seen, sent)


def _seen(found: re.Match[str]) -> str:
    entity, kind, target, label = found.groups()
    if entity:
        return _UNESCAPED[entity]
    target, label = from_slack(target), from_slack(label or "")
    if kind in ("@", "#"):
        return kind + (label.removeprefix(kind) or target)
    if kind == "!":
        word, _, rest = target.partition("^")
        if word in _EVERYONE:
            return f"@{word}"
        return label or ("@" + rest.partition("^")[0] if word == "subteam" and rest else word)
    shown = target.removeprefix("mailto:")
    return f"{label} ({shown})" if label and label not in (target, shown) else shown


def fit_mrkdwn(text: str, limit: int) -> str:
    """Escape what someone wrote, then shorten it to `limit` characters with "…" if it is longer."""
    return clip_mrkdwn(mrkdwn(text), limit)


def clip_mrkdwn(markup: str, limit: int) -> str:
    """Shorten mrkdwn that is already escaped to `limit` characters, ending in "…", between whole pieces."""
    return _clip(markup, limit, _PIECE)


def quote_sections(text: str, limit: int = 3000) -> list[str]:
    """What someone wrote as a mrkdwn quote over as many sections as it takes, nothing left out.

    Each text holds at most `limit` characters; every line stays inside the quote, and a line too long
    for one section goes on in the next, cut after a space where there is one, never inside an escape,
    a mention or an emoji."""
    lines: list[str] = []
    for line in mrkdwn(text).split("\n"):
        while slack_length(line) > limit - 1:
            end = _whole_pieces(line, limit - 1, _PIECE) or 1
            spaces = [piece.end() for piece in _PIECE.finditer(line, 0, end) if piece.group() == " "]
            end = spaces[-1] if spaces and spaces[-1] > end // 2 else end
            lines.append(">" + line[:end])
            line = line[end:]
        lines.append(">" + line)
    return pack_lines(lines, limit)


def fit_plain(text: str, limit: int) -> str:
    """Shorten plain_text (Slack shows it as written) to `limit` characters, ending in "…"."""
    return _clip(text, limit, _PLAIN_PIECE)


def quote_typed(text: str, limit: int = 80) -> str:
    """Quote what a person typed back to them, short, and unable to become a mention, link or code break."""
    return fit_mrkdwn(text.replace("`", "'"), limit)


def pack_lines(lines: Iterable[str], limit: int) -> list[str]:
    """Join mrkdwn lines into as few texts of at most `limit` characters as they fit in, in order."""
    texts: list[str] = []
    current: list[str] = []
    size = 0
    for line in lines:
        fitted = clip_mrkdwn(line, limit)
        length = slack_length(fitted)
        if current and size + 1 + length > limit:
            texts.append("\n".join(current))
            current, size = [], 0
        size += length + (1 if current else 0)
        current.append(fitted)
    if current:
        texts.append("\n".join(current))
    return texts


def split_mrkdwn(markup: str, limit: int) -> list[str]:
    """Escaped mrkdwn in as few texts of at most `limit` characters as it fits in, in order, nothing left
    out: cut between lines, and a line longer than `limit` between whole pieces."""
    lines: list[str] = []
    for line in markup.split("\n"):
        while slack_length(line) > limit:
            end = _whole_pieces(line, limit, _PIECE) or 1
            lines.append(line[:end])
            line = line[end:]
        lines.append(line)
    return pack_lines(lines, limit)


def _clip(text: str, limit: int, pieces: re.Pattern[str]) -> str:
    if slack_length(text) <= limit:
        return text
    return text[: _whole_pieces(text, limit - slack_length(ELLIPSIS), pieces)].rstrip() + ELLIPSIS


def _whole_pieces(text: str, budget: int, pieces: re.Pattern[str]) -> int:
    """Where the longest run of whole pieces from the start within `budget` characters ends."""
    used, end = 0, 0
    # Only characters past the BMP take two UTF-16 units: without one, a piece's length is its size. A piece
    # reaching past the budget's first characters is cut either way, so only those are looked at.
    wide = max(text[: max(budget, 0)], default="") > "\uffff"
    for piece in pieces.finditer(text):
        found = piece.group()
        size = slack_length(found) if wide and not found.isascii() else len(found)
        if used + size > budget:
            break
        used, end = used + size, piece.end()
    return end


def person(user_id: str) -> str:
    """Someone as a mention; in place of someone erased (their ID taken out: `UNNAMED`), an erased member."""
    return ERASED_MEMBER if user_id == UNNAMED else f"<@{user_id}>"


def mentions(users: list[str], shown: int = 10) -> str:
    """People as mentions, "a, b and c": the first `shown` named one by one, the rest counted."""
    named = [f"<@{user}>" for user in users[:shown]]
    if len(users) > shown:
        return ", ".join(named) + f" and {len(users) - shown} more"
    return named[0] if len(named) == 1 else ", ".join(named[:-1]) + " and " + named[-1]


def counted(number: int, noun: str) -> str:
    """`1 circle`, `2 circles`: a number with its noun (one that takes an s)."""
    return f"{number} {noun}{'' if number == 1 else 's'}"
