"""Stored plans without someone erased since: no Slack user of theirs, no reason made of their profile."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from circles.messages import UNNAMED
from circles.persistence.db import Session
from circles.queries.run_plans import made_runs_naming, previews_naming, retire_previews


def forget_in_plans(session: Session, member_ids: Collection[int]) -> None:
    """Take these memberships out of every stored plan naming them.

    An unconfirmed proposal is retired and emptied: none can be confirmed or shown again, and Confirm on
    one offers a fresh one, a re-match of the same person when it was someone else's. A round made keeps
    its plan with the person unnamed, and the reasons for their circles and pairs (their profile's words
    shared with the others) dropped.
    """
    ids = set(member_ids)
    previews = previews_naming(session, ids)
    retire_previews(session, {run: _kept(rematch, ids) for run, rematch in previews.items()})
    for run in made_runs_naming(session, ids):
        run.plan = unnamed(run.plan, ids)


def unnamed(plan: dict[str, Any], member_ids: set[int]) -> dict[str, Any]:
    """The plan naming none of these members, and without the reasons of the groups they were in."""
    gone = {str(member) for member in member_ids}
    users = {key: UNNAMED if key in gone else user for key, user in plan.get("users", {}).items()}
    changed = {**plan, "users": users}
    changed["circles"] = [_without_why(c, c["members"], member_ids) for c in plan.get("circles", [])]
    changed["pairs"] = [_without_why(p, (p["first"], p["second"]), member_ids) for p in plan.get("pairs", [])]
    if "joins" in plan:  # a re-match's circle is not listed in it: any of them may have been there
        changed["joins"] = [{**join, "why": ""} for join in plan["joins"]]
    rematch = plan.get("rematch")
    if rematch and rematch.get("member") in member_ids:
        changed["rematch"] = {**rematch, "user": UNNAMED}
    return changed


def _kept(rematch: dict[str, Any] | None, member_ids: set[int]) -> dict[str, Any]:
    """What a retired proposal keeps: whom its re-match was for, unless one of them."""
    return {"rematch": rematch} if rematch and rematch.get("member") not in member_ids else {}


def _without_why(group: dict[str, Any], members: Collection[int], gone: set[int]) -> dict[str, Any]:
    return {**group, "why": ""} if gone.intersection(members) else group
