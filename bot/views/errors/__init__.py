"""What a person is told when something goes wrong: short, kind, never a trace.

Each product error has its words in one table, by area: `cohorts`, `partners` and `answers`."""

from __future__ import annotations

from bot.views.errors import answers, cohorts, partners
from bot.views.errors.words import Words
from bot.views.text import mrkdwn
from circles.errors import CirclesError

SOMETHING_WENT_WRONG = (
    "Sorry — something went wrong on our side and nothing was changed. Please try again in a minute; "
    "if it keeps happening, let your facilitator know."
)

_MESSAGES: dict[type[CirclesError], Words] = {
    **cohorts.MESSAGES,
    **partners.MESSAGES,
    **answers.MESSAGES,
}


def friendly_plain_text(error: BaseException) -> str:
    """The same words for a form's inline error, which Slack shows as plain text, not mrkdwn."""
    text = friendly_message(error).replace("*", "").replace("`", "")
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def friendly_message(error: BaseException) -> str:
    """The words for this error: the rule's own message for product errors, a generic apology otherwise."""
    for kind in type(error).__mro__:
        if kind in _MESSAGES:
            words = _MESSAGES[kind]
            return words if isinstance(words, str) else words(error)
    if isinstance(error, CirclesError) and str(error):
        return mrkdwn(str(error))
    return SOMETHING_WENT_WRONG
