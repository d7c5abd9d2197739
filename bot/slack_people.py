"""Ask Slack about a person: admin rights (remembered for a while), time zone and name."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackRequestError

from bot.remembered import Remembered
from circles.domain.tenants import Tenant, TenantKind, workspace_team
from circles.services.people.profiles import SlackPerson

logger = logging.getLogger(__name__)

ADMIN_TTL_SECONDS = 600.0
# Answers remembered at most: past this, expired answers go first, then the oldest, so a process serving
# hundreds of workspaces keeps a bounded memory of who is an admin.
ADMIN_REMEMBERED = 20_000
DEFINITE_ERRORS = frozenset(
    {"user_not_found", "user_not_visible"}
)  # answers, not failures  # admin rights change rarely; a demoted admin loses them within ten minutes


class AdminLookup:
    """Whether Slack calls someone an admin or owner, cached per workspace and person."""

    def __init__(
        self,
        ttl: float = ADMIN_TTL_SECONDS,
        clock: Callable[[], float] = time.monotonic,
        remembered: int = ADMIN_REMEMBERED,
    ) -> None:
        self._known: Remembered[tuple[str, str], bool] = Remembered(ttl, remembered, clock)

    def is_admin(self, client: WebClient, team_id: str, user_id: str) -> bool:
        """Ask Slack unless an answer is remembered; if Slack cannot say, assume not and ask next time."""
        key = (team_id, user_id)
        found, known = self._known.fresh(key)
        if found:
            return bool(known)
        try:
            user = client.users_info(user=user_id)["user"]
            answer = bool(user.get("is_admin") or user.get("is_owner") or user.get("is_primary_owner"))
        except SlackApiError as error:
            if error.response.get("error") not in DEFINITE_ERRORS:
                logger.warning("users.info failed for %s: %s", user_id, error.response.get("error"))
                return False  # rate limited or Slack in trouble: ask again next time
            answer = False
        except (SlackRequestError, OSError) as error:
            logger.warning("users.info failed for %s: %s", user_id, error)
            return False
        self._known.keep(key, answer)
        return answer


def slack_person(client: WebClient, user_id: str) -> SlackPerson | None:
    """Someone's time zone and name from users.info, and whether their account is deactivated; None when
    Slack cannot say right now."""
    try:
        user = client.users_info(user=user_id)["user"]
    except SlackApiError as error:
        logger.warning("users.info failed for %s: %s", user_id, error.response.get("error"))
        return None
    except (SlackRequestError, OSError) as error:
        logger.warning("users.info failed for %s: %s", user_id, error)
        return None
    names = user.get("profile") or {}
    return SlackPerson(
        timezone=user.get("tz") or None,
        display_name=names.get("display_name") or names.get("real_name") or user.get("real_name") or None,
        team_id=workspace_team(user.get("team_id")),
        deleted=user.get("deleted") is True,
        names=names_of(user),
    )


# Where users.info (and a user_change event) gives a name: the profile's, each also in plain letters
# ("José" as "Jose"), then the account's own.
PROFILE_NAMES = (
    "real_name",
    "real_name_normalized",
    "display_name",
    "display_name_normalized",
    "first_name",
    "last_name",
)


def names_of(user: dict[str, object]) -> tuple[str, ...]:
    """Every name Slack gives for the person, as given: a research export leaves each of them out, so that
    their real name is found in shared words even where their display name is a handle."""
    profile = user.get("profile")
    profile = profile if isinstance(profile, dict) else {}
    given = [profile.get(field) for field in PROFILE_NAMES] + [user.get("real_name"), user.get("name")]
    return tuple(name for name in given if isinstance(name, str) and name.strip())


def of_tenant(client: WebClient, user_id: str, tenant: Tenant) -> bool | None:
    """Whether users.info knows this person as an active human of the tenant (the workspace, or for an
    org-wide install the organisation); None when Slack cannot say right now.

    Someone Slack shows from elsewhere (another workspace, another organisation over Slack Connect) is
    not of the tenant, even when the token may look them up."""
    try:
        user = client.users_info(user=user_id)["user"]
    except SlackApiError as error:
        if error.response.get("error") in DEFINITE_ERRORS:
            return False
        logger.warning("users.info failed for %s: %s", user_id, error.response.get("error"))
        return None
    except (SlackRequestError, OSError) as error:
        logger.warning("users.info failed for %s: %s", user_id, error)
        return None
    return placed_in(user, tenant)


def placed_in(user: dict[str, object], tenant: Tenant) -> bool:
    """Whether a users.info (or users.lookupByEmail) user is an active human of the tenant."""
    if user.get("deleted") or user.get("is_bot") or user.get("is_stranger"):
        return False
    grid = user.get("enterprise_user")
    grid = grid if isinstance(grid, dict) else {}
    if tenant.kind is TenantKind.ORGANISATION:
        return grid.get("enterprise_id") in (None, tenant.key)
    teams = grid.get("teams")
    return user.get("team_id") == tenant.key or (isinstance(teams, list) and tenant.key in teams)
