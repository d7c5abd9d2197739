"""Split every listener into an instant ack and the real work, run after the ack with one error policy."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Concatenate, ParamSpec, TypeVar

from slack_bolt import Ack, BoltContext, BoltRequest, Respond
from slack_sdk import WebClient

from bot.deps import Deps
from bot.direct_reply import DirectReply
from bot.edge.home import from_elsewhere, not_ours
from bot.edge.tenant import tenant_of
from bot.errors import handle_error
from bot.views.message import Message
from circles.domain.tenants import Tenant
from circles.domain.text import row_id
from circles.persistence.db import UnitOfWork

logger = logging.getLogger("circles.web")

P = ParamSpec("P")
T = TypeVar("T")


@dataclass(frozen=True)
class Incoming:
    """One request from Slack as the work after the ack sees it."""

    body: dict[str, Any]
    context: BoltContext
    client: WebClient
    respond: Respond
    deps: Deps
    key: str = ""  # names this request among all others (see request_key)

    @property
    def tenant(self) -> Tenant:
        """The workspace, or for an org-wide install the organisation, this request belongs to."""
        return tenant_of(self.body, self.context.team_id)

    @property
    def team_id(self) -> str:
        """The tenant's key, which the services know as the team: a T… workspace or an org-wide E…."""
        return self.tenant.key

    @property
    def user_id(self) -> str:
        """Who acted: commands carry user_id, interactions a user object."""
        return self.context.user_id or self.body.get("user_id") or (self.body.get("user") or {}).get("id", "")

    @property
    def trigger_id(self) -> str:
        """What opens a modal within three seconds of the command or press; "" when the payload has none."""
        trigger = self.body.get("trigger_id")
        return trigger if isinstance(trigger, str) else ""

    @property
    def action_value(self) -> str:
        """The value of the button pressed; "" when the payload carries none, or one no button of the app
        holds (a NUL character, which PostgreSQL cannot compare with a slug or an id): hostile input."""
        actions = self.body.get("actions")
        action = actions[0] if isinstance(actions, list) and actions else None
        value = action.get("value") if isinstance(action, dict) else None
        return value if isinstance(value, str) and "\x00" not in value else ""

    def is_admin(self) -> bool:
        """CIRCLES_ADMINS or a workspace admin; nobody administers a tenant the bot token is not for."""
        if from_elsewhere(self.context):
            return False
        return self.deps.is_admin(self.client, self.team_id, self.user_id)

    def as_person(
        self, service: Callable[Concatenate[UnitOfWork, str, str, P], T], *args: P.args, **kwargs: P.kwargs
    ) -> T:
        """Run a use case taking the workspace and the person first, e.g. pausing their own partnership."""
        return service(self.deps.db.unit_of_work(), self.team_id, self.user_id, *args, **kwargs)

    def as_facilitator(self, service: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run a use case that checks a facilitator's or admin's rights, given by keyword after the rest."""
        return service(
            self.deps.db.unit_of_work(),
            self.team_id,
            *args,
            user_id=self.user_id,
            is_admin=self.is_admin(),
            **kwargs,
        )

    def reply(self, message: Message) -> None:
        """A private answer built by a view, below what the person typed or pressed."""
        self.respond(
            text=message.text, blocks=message.block_dicts(), response_type="ephemeral", replace_original=False
        )

    def say(self, text: str) -> None:
        """A short private answer in plain mrkdwn."""
        self.respond(text=text, response_type="ephemeral", replace_original=False)


Work = Callable[[Incoming], None]
Wanted = Callable[[dict[str, Any], BoltContext], bool]
Unfinished = Callable[[BoltContext, Exception], None]


def everything(body: dict[str, Any], context: BoltContext) -> bool:
    return True


def ack_now(ack: Ack) -> None:
    """Answer Slack at once: nothing slow, no database, no Web API call happens before this."""
    ack()


def ack_errors(ack: Ack, errors: Mapping[str, str]) -> None:
    """A form's ack: it stays open showing what to fix, by block; with nothing to fix it closes."""
    if errors:
        ack(response_action="errors", errors=dict(errors))
    else:
        ack()


def after_ack(
    work: Work,
    deps: Deps,
    wanted: Wanted = everything,
    unfinished: Unfinished | None = None,
    asked: bool = True,
) -> Callable[..., None]:
    """Wrap work as a Bolt lazy listener; a failure reaches the person kindly and the log in full.

    What `wanted` turns down (an edit in the app's DM, the Messages tab) is not even taken in: it costs
    nothing, and a failing database brings nobody a message about it. `unfinished` ends in Slack what a
    failure left open where no person is there to be told (a workflow's step). Work nobody `asked` for
    (anyone's profile changed) fails into the log only: the person the event names is told nothing.
    """

    def run(
        body: dict[str, Any], context: BoltContext, client: WebClient, respond: Respond, request: BoltRequest
    ) -> None:
        # By the response_url; in the person's DM when there is none (forged, not Slack's, or pressed on a
        # view) or when it fails, so that nobody is left without an answer.
        user = body.get("user")
        who = context.user_id or (user.get("id") if isinstance(user, dict) else body.get("user_id"))
        person = who if asked and isinstance(who, str) else ""
        respond = DirectReply(client, person, respond.response_url, deps.settings.slack_api_url)
        now, worked = deps.clock(), False
        try:
            if not wanted(body, context):
                pass  # nothing in it for the app: not taken in, nothing to say
            elif not_ours(body, context):
                logger.info("ignored an event of another workspace than the bot token's")
            elif deps.take_in.first_time(body, request.headers, now):
                worked = True
                work(Incoming(body, context, client, respond, deps, request_key(body, request)))
            else:
                logger.info("ignored a request already taken in (a replay or a retry)")
        except Exception as error:
            # Bolt's lazy runner would only log one line; route it through the global handler instead.
            handle_error(error, body, None, respond)
            if unfinished is not None:
                unfinished(context, error)
        if worked:  # after the work has answered: its failure is nobody's but the log's
            forget_quietly(deps, now)
        deps.waker()  # what the work put in the outbox (a partner's notice, an alert) goes out now

    # Bolt names lazy listeners after the function; keep the names distinct and readable in logs.
    run.__name__ = run.__qualname__ = f"{work.__module__}.{work.__name__}"
    return run


def forget_quietly(deps: Deps, now: datetime) -> None:
    """Forget requests that can no longer come again; a failure here is the app's alone, after the work
    was done and answered, so it reaches the log and nobody else."""
    try:
        deps.take_in.forget_now_and_then(now)
    except Exception as error:
        logger.warning("could not forget old requests: %s", type(error).__name__)


def request_key(body: dict[str, Any], request: BoltRequest) -> str:
    """What names this request among all others, so work keyed on it is done once: never the clock.

    Slack gives every command and interaction its own trigger_id; anything without one is named by its
    signature, which the edge has already checked.
    """
    trigger = body.get("trigger_id")
    if isinstance(trigger, str) and trigger:
        return f"trigger:{trigger[:100]}"
    timestamp = (request.headers.get("x-slack-request-timestamp") or [""])[0]
    signature = (request.headers.get("x-slack-signature") or [""])[0]
    return f"signed:{timestamp[:12]}:{signature[:70]}"


def parse_id(text: str) -> int | None:
    """A row id from a button value or form metadata, which are hostile input; None when it is not one."""
    return row_id(text)
