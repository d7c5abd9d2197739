"""What makes mrkdwn unsafe for Slack: broken escapes, half tokens, double escaping, lone surrogates."""

from __future__ import annotations

import re

# A token Slack itself would draw: a mention, a channel, a date, a link. `<!here>`, `<!channel>` and
# `<!everyone>` are left out on purpose: this app never means to ping a whole conversation.
TOKEN = re.compile(
    r"<(?:@[UWB][A-Z0-9]+(?:\|[^<>]*)?"
    r"|#C[A-Z0-9]+(?:\|[^<>]*)?"
    r"|!subteam\^[A-Z0-9]+(?:\|[^<>]*)?"
    r"|!date\^\d+\^[^<>|]*(?:\^[^<>|]*)?\|[^<>]*"
    r"|(?:https?://|mailto:)[^<>|\s]+(?:\|[^<>]*)?)>"
)
ENTITY = re.compile(r"&(?:amp|lt|gt);")
DOUBLE = re.compile(r"&amp;(?:amp|lt|gt);")
SURROGATE = re.compile(r"[\ud800-\udfff]")


def slack_length(text: str) -> int:
    """Characters as Slack may count them: UTF-16 code units, never fewer than code points."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def mrkdwn_problems(text: str, *, typed_ampersand: bool = False) -> list[str]:
    """Everything wrong with one mrkdwn text; `typed_ampersand` allows `&amp;lt;` (someone typed `&lt;`)."""
    problems: list[str] = []
    rest = TOKEN.sub("", text)
    for found in re.finditer(r"&", rest):
        if not ENTITY.match(rest, found.start()):
            problems.append(f"a bare or broken escape at {_around(rest, found.start())!r}")
            break
    if "<" in rest:
        problems.append(f"an unescaped or cut `<` at {_around(rest, rest.index('<'))!r}")
    double = DOUBLE.search(text)
    if double and not typed_ampersand:
        problems.append(f"double escaping at {_around(text, double.start())!r}")
    problems += text_problems(text)
    return problems


def text_problems(text: str) -> list[str]:
    """What is wrong with any text, plain or mrkdwn: half a surrogate pair."""
    found = SURROGATE.search(text)
    return [f"half a surrogate pair at {_around(text, found.start())!r}"] if found else []


def _around(text: str, at: int) -> str:
    return text[max(0, at - 20) : at + 20]
