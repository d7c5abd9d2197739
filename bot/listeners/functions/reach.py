"""Which of a cohort's facilitators Slack still has: it takes a message to a deactivated account, which
nobody then reads."""

from __future__ import annotations

from collections.abc import Sequence

from slack_sdk import WebClient

from bot.slack_people import slack_person

# A cohort has a few facilitators; past these, the rest are taken as there rather than asked about.
LOOKED_UP_AT_MOST = 10


def deactivated(client: WebClient, user_ids: Sequence[str]) -> frozenset[str]:
    """Those users.info shows deactivated; someone Slack cannot answer about now is taken as still there."""
    gone = set()
    for user_id in user_ids[:LOOKED_UP_AT_MOST]:
        person = slack_person(client, user_id)
        if person is not None and person.deleted:
            gone.add(user_id)
    return frozenset(gone)
