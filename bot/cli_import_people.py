"""Who a file's people are in Slack, for `circles cohort import` and `circles cohort rotations`: read from
the tenant's list for a large file, else asked about.

Asking about each person costs a call each (users.lookupByEmail, ~50 a minute; users.info, ~100), so
10,000 people would take hours. From LISTING_FROM people on, users.list is read instead, 200 people a
page (~20 pages a minute), and anyone it does not hold is asked about as before: someone Slack shows from
another workspace (Slack Connect), a typo, a listing Slack failed midway. An organisation's people are
listed workspace by workspace (users.list with an org-wide token must name one), as auth.teams.list gives
them. Each command judges what Slack holds about a person the same way either way, with the same words.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from typing import Any, TypeVar

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackRequestError

from bot.cli_slack import NOT_FOUND
from bot.slack_people import placed_in
from circles.domain.cohort_file import CohortFile, FileProblem, PersonRef
from circles.domain.tenants import Tenant, TenantKind, kind_of_key, workspace_team
from circles.services.cohorts.file_import import SlackPerson

LISTING_FROM = 100  # people to look up; fewer take under two minutes one by one
PAGE = 200  # people a users.list page holds, as Slack recommends
SAID_EVERY_PAGES = 5  # progress every 1,000 people read
SAID_EVERY_ASKED = 100  # and every 100 asked about one by one (one to two minutes)
# Slack's tiers: users.list ~20 calls a minute, users.lookupByEmail ~50, users.info ~100. The list is read
# no longer than asking about everyone would take, for a small file in a very large workspace.
PAGES_PER_EMAIL, PAGES_PER_ID = 20 / 50, 20 / 100

T = TypeVar("T")
User = dict[str, Any]  # a user as users.list, users.info and users.lookupByEmail give one
Judge = Callable[[User | None, PersonRef], T]  # what a command makes of a person (None: Slack has nobody)
Answer = SlackPerson | str  # who someone is, or why they cannot take part
Say = Callable[[str], None]


def look_up(
    client: WebClient, cohort_file: CohortFile, tenant: Tenant, say: Say | None = None
) -> tuple[dict[str, SlackPerson], list[FileProblem]]:
    """Who each person of the file is, and a problem for each entry naming someone who cannot take part;
    `say` hears how far a long look-up is (counts only, never who)."""
    answers = find_in_slack(client, cohort_file.people(), tenant, partial(_judge, tenant=tenant), say)
    problems = [
        FileProblem(cohort_file.file, ref.line, ref.field, answer)
        for ref in cohort_file.people()
        if isinstance(answer := answers[ref.key], str)
    ]
    return {key: answer for key, answer in answers.items() if isinstance(answer, SlackPerson)}, problems


def find_in_slack(
    client: WebClient, people: Iterable[PersonRef], tenant: Tenant, judge: Judge[T], say: Say | None = None
) -> dict[str, T]:
    """What `judge` makes of each person (by key) from the user Slack holds for them: from the tenant's
    list for LISTING_FROM people or more, else (and for those the list does not hold) asking about each.
    Slack's failures while asking propagate; `say` hears how far a long look-up is (counts only)."""
    refs: dict[str, PersonRef] = {}
    for ref in people:
        refs.setdefault(ref.key, ref)
    answers: dict[str, T] = {}
    tell = _progress(len(refs), say) if len(refs) >= LISTING_FROM else None
    if tell is not None:
        answers = _from_listing(client, list(refs.values()), tenant, judge, tell)
    rest = [ref for key, ref in refs.items() if key not in answers]
    for done, ref in enumerate(rest, 1):
        answers[ref.key] = judge(_ask(client, ref), ref)
        if tell is not None and (done % SAID_EVERY_ASKED == 0 or done == len(rest)):
            tell(f": {done:,} of {len(rest):,} asked …")
    return answers


def tenant_of(key: str) -> Tenant:
    """The tenant a token's key names: a workspace (T…), or an organisation (E…) for an org-wide token."""
    kind = kind_of_key(key)
    return Tenant(key, kind, key if kind is TenantKind.ORGANISATION else None)


def say(line: str) -> None:
    """A line on stderr of how far a long piece of work is, in the voice of the command's other lines."""
    print(f"circles: {line}", file=sys.stderr, flush=True)


def _progress(people: int, say: Say | None) -> Say:
    def tell(line: str) -> None:
        if say is not None:
            say(f"looking up {people:,} people in Slack{line}")

    return tell


def _from_listing(
    client: WebClient, refs: list[PersonRef], tenant: Tenant, judge: Judge[T], tell: Say
) -> dict[str, T]:
    """What `judge` makes of each person the tenant's list of people holds. Reading stops once everyone is
    found, when it has taken as long as asking about each person would, or when Slack fails: those not
    found yet are then asked about one by one."""
    by_id = {ref.user_id: ref for ref in refs if ref.user_id}
    by_email = {ref.key: ref for ref in refs if ref.email}
    budget = math.ceil(PAGES_PER_EMAIL * len(by_email) + PAGES_PER_ID * len(by_id))
    where = "organisation" if tenant.kind is TenantKind.ORGANISATION else "workspace"
    tell(f" from the {where}'s list of people …")
    answers: dict[str, T] = {}
    gone: set[str] = set()  # emails only deactivated accounts hold: users.lookupByEmail finds none of them
    read = pages = 0
    try:
        for page, more in _pages(client, tenant):
            for user in page:
                if (ref := by_id.get(str(user.get("id")))) is not None:
                    answers[ref.key] = judge(user, ref)
                email = str((user.get("profile") or {}).get("email") or "").lower()
                if (ref := by_email.get(email)) is not None:
                    if user.get("deleted"):
                        gone.add(ref.key)
                    else:
                        answers[ref.key] = judge(user, ref)
            read, pages = read + len(page), pages + 1
            if pages % SAID_EVERY_PAGES == 0 or len(answers) == len(refs):
                tell(f": {read:,} of the {where}'s people read …")
            if len(answers) == len(refs):
                return answers
            if more and pages >= budget:
                why = f"{read:,} of the {where}'s people read, as long as asking about each would take"
                break
        else:  # the whole list was read: whoever it holds only deactivated is not found
            answers |= {key: judge(None, by_email[key]) for key in gone - answers.keys()}
            why = f"{read:,} of the {where}'s people read"
    except SlackApiError as error:
        why = f"Slack answered {error.response.get('error')} while the list was read"
    except (SlackRequestError, OSError):
        why = "Slack stopped answering while the list was read"
    if len(answers) < len(refs):
        tell(f": {why}: asking about the {len(refs) - len(answers):,} not found yet one by one …")
    return answers


def _pages(client: WebClient, tenant: Tenant) -> Iterator[tuple[list[dict[str, Any]], bool]]:
    """The tenant's people a page at a time, and whether more follow (an organisation's workspace by
    workspace: an org-wide token lists one at a time)."""
    teams: list[str | None] = [None]
    if tenant.kind is TenantKind.ORGANISATION:
        workspaces = _paged(client.auth_teams_list, {"limit": PAGE})
        teams = [team["id"] for answer, _ in workspaces for team in answer.get("teams") or []]
    for number, team in enumerate(teams, 1):
        for answer, more in _paged(client.users_list, {"limit": PAGE, "team_id": team}):
            yield answer.get("members") or [], more or number < len(teams)


def _paged(method: Callable[..., Any], args: dict[str, Any]) -> Iterator[tuple[Any, bool]]:
    """Each answer of a method Slack pages with `cursor`, and whether another follows."""
    cursor = None
    while True:
        answer = method(**args, cursor=cursor)
        cursor = (answer.get("response_metadata") or {}).get("next_cursor")
        yield answer, bool(cursor)
        if not cursor:
            return


def _ask(client: WebClient, ref: PersonRef) -> User | None:
    """The user Slack holds for one person, None when it has nobody (no active account by an email)."""
    try:
        if ref.email:
            user: User = client.users_lookupByEmail(email=ref.email)["user"]
        else:
            user = client.users_info(user=str(ref.user_id))["user"]
    except SlackApiError as error:
        if error.response.get("error") not in NOT_FOUND:
            raise
        return None
    return user


def _not_found(ref: PersonRef) -> str:
    return f"no active Slack user has the email {ref.email}" if ref.email else f"no Slack user {ref.user_id}"


def _judge(user: User | None, ref: PersonRef, tenant: Tenant) -> Answer:
    """Who a Slack user is, or why they cannot take part: the cohort import's rules."""
    if user is None:  # no active account holds the email, or no account has the ID
        return (
            f"no Slack user {ref.user_id}"
            if ref.user_id
            else f"no active Slack user has the email {ref.email}"
        )
    if user.get("deleted"):
        return f"{ref.email or ref.user_id} is a deactivated Slack account"
    if user.get("is_bot"):
        return f"{ref.email or ref.user_id} is a bot, not a person"
    if not placed_in(user, tenant):  # Slack Connect shows people of other workspaces and organisations
        where = "organisation" if tenant.kind is TenantKind.ORGANISATION else "workspace"
        return f"{ref.email or ref.user_id} is not a person of this {where}"
    profile = user.get("profile") or {}
    name = profile.get("display_name") or user.get("real_name")
    email = profile.get("email") or ref.email
    return SlackPerson(user["id"], email, name, user.get("tz"), workspace_team(user.get("team_id")))
