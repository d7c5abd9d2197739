"""What a person is told when something goes wrong: short, kind, never a trace."""

from __future__ import annotations

from circles.errors import CirclesError, WorkspaceUnknown

SOMETHING_WENT_WRONG = (
    "Sorry — something went wrong on our side and nothing was changed. Please try again in a minute; "
    "if it keeps happening, let your facilitator know."
)

_MESSAGES: dict[type[CirclesError], str] = {
    WorkspaceUnknown: "Circles has not been set up in this workspace yet. Ask an admin to install it.",
}


def friendly_message(error: BaseException) -> str:
    """The words for this error: the rule's own message for product errors, a generic apology otherwise."""
    for kind in type(error).__mro__:
        if kind in _MESSAGES:
            return _MESSAGES[kind]
    if isinstance(error, CirclesError) and str(error):
        return str(error)
    return SOMETHING_WENT_WRONG
