"""The Slack calls of one step of a round: a conversation, its invitations, or its kickoff message.

Each is safe to make again after a crash between Slack's answer and the commit: a private channel's
name is then taken by our own channel, which is reused; a group DM opens as the same conversation;
people already in the channel count as invited; a kickoff is looked for before it is posted again.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.gateway.history import CANNOT_LOOK
from bot.gateway.outcomes import ErrorKind, Failed, Outcome, Sent, error_code, kind_of
from bot.views.kickoff import kickoff
from circles.domain.match_vocabulary import StepKind
from circles.domain.vocabulary import MeetingPlace
from circles.services.rounds.queue import NO_CONVERSATION
from circles.services.rounds.steps import StepWork
from prompts.roles import role_texts
from prompts.tracks import PromptTrackError, track

logger = logging.getLogger(__name__)

KICKOFF_EVENT = "circles_kickoff"
MAX_NAME_TRIES = 20


def makes_channel(work: StepWork) -> bool:
    """Whether the step creates a circle's private channel (conversations.create)."""
    return work.kind is StepKind.CIRCLE_CONVERSATION and work.meeting_place is not MeetingPlace.GROUP_DM


def perform(client: WebClient, work: StepWork, maybe_posted: bool) -> Outcome:
    users = [p.user_id for p in work.people]
    group_dm = work.meeting_place is MeetingPlace.GROUP_DM
    if makes_channel(work):
        return Sent(_create_private_channel(client, work.name))
    if work.kind is StepKind.CIRCLE_CONVERSATION:
        return Sent(_open_group_dm(client, users))
    if work.kind is StepKind.PAIR_CONVERSATION:
        # Opening the same group DM again returns the same conversation: safe to repeat after a crash.
        return Sent({"channel": client.conversations_open(users=",".join(users))["channel"]["id"]})
    if not work.conversation_id:
        return Failed(NO_CONVERSATION)
    if work.kind is StepKind.CIRCLE_INVITE:
        # A group DM is opened with everyone in it.
        return Sent({"invited": users} if group_dm else invite_all(client, work.conversation_id, users))
    return _post_kickoff(client, work, work.conversation_id, maybe_posted)


def _open_group_dm(client: WebClient, users: list[str]) -> dict[str, Any]:
    """Open the circle's group DM (the same one again after a crash). Someone Slack refuses (deactivated,
    gone) is found by opening theirs alone, left out and named, as a channel's invitation does; the circle
    fails only when fewer than two could be reached."""
    try:
        return {"channel": client.conversations_open(users=",".join(users))["channel"]["id"]}
    except SlackApiError as error:
        if not _about_one_person(error):
            raise
        refused = error
    missed = {user: code for user in users if (code := _refuses(client, user)) is not None}
    rest = [user for user in users if user not in missed]
    if not missed or len(rest) < 2:
        raise refused
    opened = client.conversations_open(users=",".join(rest))["channel"]["id"]
    return {"channel": opened, "not_invited": missed}


def _refuses(client: WebClient, user: str) -> str | None:
    """Slack's reason for not opening a conversation with this person; None when it would."""
    try:
        client.conversations_open(users=user)
    except SlackApiError as error:
        if _about_one_person(error):
            return error_code(error)
        raise
    return None


def _create_private_channel(client: WebClient, name: str) -> dict[str, Any]:
    """Create the channel; on a name clash, reuse our own channel of that name (a crash after creating)
    or try the next free name."""
    for attempt in range(MAX_NAME_TRIES):
        candidate = name if attempt == 0 else f"{name[:75]}-{attempt + 1}"
        try:
            created = client.conversations_create(name=candidate, is_private=True)["channel"]
            return {"channel": created["id"], "name": created["name"]}
        except SlackApiError as error:
            if error_code(error) != "name_taken":
                raise
        ours = _our_private_channel(client, candidate)
        if ours is not None:
            return {"channel": ours, "name": candidate, "reused": True}
    raise SlackApiError("no free channel name", {"ok": False, "error": "name_taken"})  # type: ignore[no-untyped-call]


def _our_private_channel(client: WebClient, name: str) -> str | None:
    """Our private channel of this name, if any: Slack lists to a bot only the private channels it is in."""
    cursor = None
    while True:
        page = client.conversations_list(
            types="private_channel", exclude_archived=True, limit=200, cursor=cursor
        )
        for channel in page["channels"]:
            if channel.get("name") == name:
                return str(channel["id"])
        cursor = (page.get("response_metadata") or {}).get("next_cursor")
        if not cursor:
            return None


def invite_all(client: WebClient, channel: str, users: list[str]) -> dict[str, Any]:
    """Invite everyone at once; if someone cannot be invited, invite the rest one by one and say who not."""
    try:
        client.conversations_invite(channel=channel, users=",".join(users))
        return {"invited": users}
    except SlackApiError as error:
        code = error_code(error)
        if (
            code != "already_in_channel"
            and kind_of(code, error.response.status_code) is not ErrorKind.RECIPIENT
        ):
            raise
    invited, missed = [], {}
    for user in users:
        try:
            client.conversations_invite(channel=channel, users=user)
            invited.append(user)
        except SlackApiError as error:
            code = error_code(error)
            if code == "already_in_channel":
                invited.append(user)
            elif _about_one_person(error):
                missed[user] = code
            else:
                raise
    return {"invited": invited, "not_invited": missed}


def _about_one_person(error: SlackApiError) -> bool:
    return kind_of(error_code(error), error.response.status_code) is ErrorKind.RECIPIENT


def _post_kickoff(client: WebClient, work: StepWork, channel: str, maybe_posted: bool) -> Sent:
    pair = work.kind is StepKind.PAIR_KICKOFF
    if maybe_posted and _already_posted(client, channel, work.step_id):
        return Sent({"channel": channel, "reused": True}, deduplicated=True)
    # A pair's kickoff carries the first starter of its track; its planned starters go on from the second.
    # A circle's carries no reflection: its weekly ones follow the cohort's week (week N brings the Nth), so
    # the track's first here came again on week 1 for a circle made before the first prompt day, and a few
    # days before its week's own for one made mid-way. It asks for introductions until the prompt day.
    message = kickoff(work, role_texts(), _first_prompt(work.prompt_track) if pair else None, pair=pair)
    posted = client.chat_postMessage(
        channel=channel,
        text=message.text,
        blocks=message.block_dicts(),
        metadata={"event_type": KICKOFF_EVENT, "event_payload": {"step": work.step_id}},
    )
    return Sent({"channel": channel, "ts": posted["ts"]})


def _already_posted(client: WebClient, channel: str, step_id: int) -> bool:
    """The kickoff carries its step in the message metadata, so a retry after a crash finds it.

    The manifest asks for no channel or group-DM history scope (the app reads no conversation of theirs),
    so Slack usually says missing_scope: nobody can tell then, and the kickoff is posted (at most twice
    after a crash).
    """
    try:
        history = client.conversations_history(channel=channel, limit=20, include_all_metadata=True)
    except SlackApiError as error:
        if error_code(error) in CANNOT_LOOK:
            return False
        raise
    messages: list[dict[str, Any]] = history.get("messages", [])
    return any((m.get("metadata") or {}).get("event_payload", {}).get("step") == step_id for m in messages)


def _first_prompt(track_name: str) -> Any:
    try:
        return track(track_name).first("pair")
    except PromptTrackError:
        logger.warning("prompt track %s is missing; the kickoff uses a plain opening", track_name)
        return None
