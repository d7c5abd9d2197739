"""Create a confirmed round in Slack step by step: conversations, invitations, kickoff messages.

Every step is recorded as it finishes, so running again after a crash, a rate limit or an outage
carries on where it stopped. Steps that can never succeed (a deactivated person) are recorded as
failed and reported, and never block the others.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackRequestError

from bot.deps import Deps
from bot.gateway.history import CANNOT_LOOK
from bot.views.kickoff import kickoff
from circles.domain.match_vocabulary import StepKind
from circles.domain.vocabulary import MeetingPlace
from circles.services.creation import Progress, StepWork, next_step, note_attempt, progress, record_step
from prompts.roles import role_texts
from prompts.tracks import PromptTrackError, track

logger = logging.getLogger(__name__)

PERMANENT = frozenset(
    {
        "user_not_found",
        "user_is_deactivated",
        "account_inactive",
        "cant_invite",
        "cant_invite_self",
        "user_is_restricted",
        "is_archived",
        "channel_not_found",
        "not_in_channel",
        "too_many_users",
    }
)
KICKOFF_EVENT = "circles_kickoff"
MAX_NAME_TRIES = 20


class CreationPaused(Exception):
    """Slack could not take more for now; what is done stays done, and a rerun finishes the rest."""


def carry_out(
    client: WebClient, deps: Deps, run_id: int, on_progress: Callable[[Progress], None]
) -> Progress:
    """Do every pending step of the run, reporting progress every ten steps."""
    handled = 0
    while (work := next_step(deps.db.unit_of_work(), run_id)) is not None:
        try:
            record_step(
                deps.db.unit_of_work(), work.step_id, deps.clock(), result=_perform(client, deps, work)
            )
        except SlackApiError as error:
            code = str(error.response.get("error"))
            if code not in PERMANENT:
                note_attempt(deps.db.unit_of_work(), work.step_id, code, deps.clock())
                raise CreationPaused(code) from error
            record_step(deps.db.unit_of_work(), work.step_id, deps.clock(), error=code)
        except (SlackRequestError, OSError) as error:
            note_attempt(deps.db.unit_of_work(), work.step_id, type(error).__name__, deps.clock())
            raise CreationPaused(str(error)) from error
        handled += 1
        if handled % 10 == 0:
            on_progress(progress(deps.db.unit_of_work(), run_id, deps.clock()))
    return progress(deps.db.unit_of_work(), run_id, deps.clock())


def _perform(client: WebClient, deps: Deps, work: StepWork) -> dict[str, Any]:
    users = [p.user_id for p in work.people]
    if work.kind is StepKind.CIRCLE_CONVERSATION:
        if work.meeting_place is MeetingPlace.GROUP_DM:
            return _open_group_dm(client, deps, users)
        return _create_private_channel(client, deps, work.name)
    if work.kind is StepKind.CIRCLE_INVITE:
        if work.meeting_place is MeetingPlace.GROUP_DM:
            return {"invited": users}  # a group DM is opened with everyone in it
        return _invite(client, deps, _conversation(work), users)
    if work.kind is StepKind.PAIR_CONVERSATION:
        return _open_group_dm(client, deps, users)
    return _post_kickoff(client, deps, work)


def _conversation(work: StepWork) -> str:
    if not work.conversation_id:
        raise SlackApiError("no conversation yet", {"ok": False, "error": "channel_not_found"})  # type: ignore[no-untyped-call]
    return work.conversation_id


def _open_group_dm(client: WebClient, deps: Deps, users: list[str]) -> dict[str, Any]:
    deps.pacer.wait("conversations.open")
    # Opening the same group DM again returns the same conversation: safe to repeat after a crash.
    channel = client.conversations_open(users=",".join(users))["channel"]["id"]
    return {"channel": channel}


def _create_private_channel(client: WebClient, deps: Deps, name: str) -> dict[str, Any]:
    """Create the channel; on a name clash, reuse our own channel of that name (a crash after creating)
    or try the next free name."""
    for attempt in range(MAX_NAME_TRIES):
        candidate = name if attempt == 0 else f"{name[:75]}-{attempt + 1}"
        deps.pacer.wait("conversations.create")
        try:
            created = client.conversations_create(name=candidate, is_private=True)["channel"]
            return {"channel": created["id"], "name": created["name"]}
        except SlackApiError as error:
            if error.response.get("error") != "name_taken":
                raise
        ours = _our_private_channel(client, deps, candidate)
        if ours is not None:
            return {"channel": ours, "name": candidate, "reused": True}
    raise SlackApiError("no free channel name", {"ok": False, "error": "name_taken"})  # type: ignore[no-untyped-call]


def _our_private_channel(client: WebClient, deps: Deps, name: str) -> str | None:
    """Our private channel of this name, if any: Slack lists to a bot only the private channels it is in."""
    cursor = None
    while True:
        deps.pacer.wait("conversations.list")
        page = client.conversations_list(
            types="private_channel", exclude_archived=True, limit=200, cursor=cursor
        )
        for channel in page["channels"]:
            if channel.get("name") == name:
                return str(channel["id"])
        cursor = (page.get("response_metadata") or {}).get("next_cursor")
        if not cursor:
            return None


def _invite(client: WebClient, deps: Deps, channel: str, users: list[str]) -> dict[str, Any]:
    """Invite everyone at once; if someone cannot be invited, invite the rest one by one and say who not."""
    deps.pacer.wait("conversations.invite")
    try:
        client.conversations_invite(channel=channel, users=",".join(users))
        return {"invited": users}
    except SlackApiError as error:
        if error.response.get("error") not in PERMANENT | {"already_in_channel"}:
            raise
    invited, missed = [], {}
    for user in users:
        deps.pacer.wait("conversations.invite")
        try:
            client.conversations_invite(channel=channel, users=user)
            invited.append(user)
        except SlackApiError as error:
            code = str(error.response.get("error"))
            if code == "already_in_channel":
                invited.append(user)
            elif code in PERMANENT:
                missed[user] = code
            else:
                raise
    return {"invited": invited, "not_invited": missed}


def _post_kickoff(client: WebClient, deps: Deps, work: StepWork) -> dict[str, Any]:
    channel = _conversation(work)
    pair = work.kind is StepKind.PAIR_KICKOFF
    if _already_posted(client, channel, work.step_id):
        return {"channel": channel, "reused": True}
    message = kickoff(work, role_texts(), _first_prompt(work.prompt_track, pair), pair=pair)
    deps.pacer.wait("chat.postMessage")
    posted = client.chat_postMessage(
        channel=channel,
        text=message.text,
        blocks=message.block_dicts(),
        metadata={"event_type": KICKOFF_EVENT, "event_payload": {"step": work.step_id}},
    )
    return {"channel": channel, "ts": posted["ts"]}


def _already_posted(client: WebClient, channel: str, step_id: int) -> bool:
    """The kickoff carries its step in the message metadata, so a rerun after a crash finds it.

    The manifest asks for no history scope (the app reads no conversation), so Slack usually says
    missing_scope: nobody can tell then, and the kickoff is posted (at most twice after a crash).
    """
    try:
        history = client.conversations_history(channel=channel, limit=20, include_all_metadata=True)
    except SlackApiError as error:
        if error.response.get("error") in CANNOT_LOOK:
            return False
        raise
    messages: list[dict[str, Any]] = history.get("messages", [])
    return any((m.get("metadata") or {}).get("event_payload", {}).get("step") == step_id for m in messages)


def _first_prompt(track_name: str, pair: bool) -> Any:
    try:
        return track(track_name).first("pair" if pair else "circle")
    except PromptTrackError:
        logger.warning("prompt track %s is missing; the kickoff uses a plain opening", track_name)
        return None
