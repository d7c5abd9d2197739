"""`only_workspace`: the tenant a report or an export takes when not told which, on both databases."""

from __future__ import annotations

import pytest

from bot.cli_common import Refused, only_workspace
from circles.persistence.db import Database
from tests import factories
from tests.databases import counted


def tenants(db: Database, count: int, cohorts: dict[int, list[str]]) -> None:
    """`count` workspaces, the nth with the cohorts `cohorts[n]` names (a slug ending in ! archived)."""
    with db.unit_of_work() as uow:
        for n in range(count):
            workspace = factories.workspace(uow.session, f"T{n:04d}")
            for slug in cohorts.get(n, []):
                cohort = factories.cohort(uow.session, workspace, slug.rstrip("!"))
                if slug.endswith("!"):
                    cohort.archived_at = cohort.created_at
        uow.commit()


def refusal(db: Database, slugs: list[str]) -> str:
    with pytest.raises(Refused) as refused:
        only_workspace(db, "--team", slugs)
    return str(refused.value)


def test_the_tenants_with_every_cohort_named_are_listed_a_few_then_how_many_more(db: Database) -> None:
    both = {n: ["pgy1", "other"] for n in range(10, 18)}
    tenants(db, 300, {**both, 3: ["pgy1"], 4: ["pgy1!", "other"], 5: ["other"]})

    assert refusal(db, ["pgy1", "other"]) == (
        "the database holds 300 workspaces; cohorts pgy1, other are in T0010, T0011, T0012, T0013, T0014 "
        "and 3 more: name one with --team"
    )
    assert refusal(db, ["pgy1"]) == (
        "the database holds 300 workspaces; cohort pgy1 is in T0003, T0010, T0011, T0012, T0013 "
        "and 4 more: name one with --team"
    )
    assert refusal(db, ["ＰＧＹ１"]).startswith(
        "the database holds 300 workspaces; cohort ＰＧＹ１ is in T0003,"
    )


def test_one_tenant_with_the_cohort_among_many_is_named_not_picked(db: Database) -> None:
    tenants(db, 40, {7: ["pgy1"], 8: ["pgy1!"]})

    assert (
        refusal(db, ["pgy1"])
        == "the database holds 40 workspaces; cohort pgy1 is in T0007: name one with --team"
    )


def test_whatever_the_number_of_tenants_one_statement_finds_where_the_cohort_is(db: Database) -> None:
    tenants(db, 250, {n: ["pgy1"] for n in range(0, 250, 3)})
    refusal(db, ["pgy1"])  # a connection's first reading sets it up once

    with counted(db) as seen:
        refusal(db, ["pgy1"])

    assert [statement for statement in seen if "workspaces" in statement.lower()] == [seen[-1]]
    assert len([statement for statement in seen if statement.lstrip().upper().startswith("SELECT")]) == 1


def test_the_only_tenant_is_taken_whether_or_not_it_has_the_cohort(db: Database) -> None:
    tenants(db, 1, {})

    assert only_workspace(db, "--team", ["pgy1"]) == "T0000"
