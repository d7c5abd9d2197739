"""Who runs Circles in each tenant (CIRCLES_ADMINS): Slack users, each named for one tenant as `T…:U…` (a
workspace) or `E…:U…` (an Enterprise Grid organisation installed org-wide, with all its workspaces), or
plainly as `U…`, which means every tenant and so belongs only where the app serves one workspace."""

from __future__ import annotations

from collections.abc import Collection, Mapping

from circles.domain.tenants import is_tenant_key

SCOPE = ":"


def scope_of(entry: str) -> str | None:
    """The tenant key an entry is for (T… or E…), or None for a plain user ID, which is for every tenant."""
    scope, separator, _user = entry.partition(SCOPE)
    return scope if separator else None


def user_of(entry: str) -> str:
    """The Slack user ID an entry names (all after the scope: a second colon makes it no user ID)."""
    scope, separator, user = entry.partition(SCOPE)
    return user if separator else scope


def entry_problem(entry: str) -> str | None:
    """Why an entry is not a Slack user ID, scoped or not; None when it is one."""
    scope, user = scope_of(entry), user_of(entry)
    if _is_user_id(user) and (scope is None or is_tenant_key(scope)):
        return None
    return (
        f"{entry!r} is not a Slack user ID (they look like U012AB3CD, or T012AB3CD:U012AB3CD for the "
        "people who run Circles in one workspace)"
    )


def plain(entries: Collection[str]) -> list[str]:
    """The entries that name no tenant, sorted."""
    return sorted(entry for entry in entries if scope_of(entry) is None)


def tenant_admins(entries: Collection[str], tenant_key: str) -> frozenset[str]:
    """The user IDs that run Circles in this tenant (a T… workspace, or an org-wide install's E…)."""
    return frozenset(user_of(e) for e in entries if scope_of(e) in (None, tenant_key))


def scoped(entries: Collection[str]) -> Mapping[str, frozenset[str]]:
    """The user IDs named for each tenant key, leaving out the plain entries."""
    found: dict[str, set[str]] = {}
    for entry in entries:
        scope = scope_of(entry)
        if scope is not None:
            found.setdefault(scope, set()).add(user_of(entry))
    return {scope: frozenset(users) for scope, users in found.items()}


def _is_user_id(value: str) -> bool:
    return value[:1] in ("U", "W") and value.isalnum() and value.isupper()
