"""A cohort's research export: tidy tables of consented members, checked for identifying values, in a ZIP."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from circles.domain.own_pairs import one_of_the_pair
from circles.domain.research.anonymity import k_anonymous
from circles.domain.research.columns import Table
from circles.domain.research.order import in_plain_order
from circles.domain.research.tables import Names, identifying_kind, refuse_identifying, withhold_identifying
from circles.errors import NotAFacilitator
from circles.persistence.db import Session, UnitOfWork
from circles.persistence.models import Cohort as CohortRow
from circles.queries import research as q
from circles.queries.cohorts import is_facilitator
from circles.queries.partnerships.ever import partners_ever
from circles.services.cohorts.lookup import require_cohort
from circles.services.research import consented as c
from circles.services.research import export_tables as t
from circles.services.research.package import package_files, zip_bytes
from circles.services.research.summary_table import summary_table
from circles.services.research.survey_table import CountedDecrypt, Decrypt, survey_table

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ResearchExport:
    """The ZIP's bytes and what it holds, in counts only."""

    slug: str
    filename: str
    content: bytes
    tables: int
    included: int
    left_out: int
    own_pairs: int = 0  # pairs the asking facilitator is one of: left out with their partner's rows in them
    withheld: int = 0  # answers whose shared words could identify someone: they read "withheld"
    unreadable: int = 0  # answers whose shared words the notes key could not open: their cells are empty


def research_export(
    uow: UnitOfWork,
    team_id: str,
    slug: str,
    now: datetime,
    *,
    key: bytes,
    decrypt: Decrypt | None = None,
    facilitator: str | None = None,
) -> ResearchExport:
    """The cohort's export as of `now`; with `facilitator`, only for someone who facilitates the cohort.

    A member's shared words that look like they hold a Slack ID, an email or a name are withheld; any
    other such value raises IdentifyingColumn rather than be written, for facilitators to change it.
    """
    with uow:
        cohort = require_cohort(uow.session, team_id, slug.lower())
        if facilitator is not None and not is_facilitator(uow.session, cohort.id, facilitator):
            raise NotAFacilitator(cohort.slug)
        opener = CountedDecrypt(decrypt) if decrypt is not None else None
        tables, who, own = _tables(uow.session, cohort, now, key, opener, facilitator)
        identities = q.workspace_identities(uow.session, cohort.workspace_id)
    known = [*identities.names, *identities.user_ids, *identities.emails]
    # Nobody can change what a member wrote: their words that could identify someone are withheld, cell by
    # cell, and the export goes on. Anything else stops it, for facilitators to change.
    checked = [withhold_identifying(table, known) for table in tables]
    # Written in an order that tells nothing (not who joined, answered or was paired first), once rare
    # values and words are hidden, so that where a row stands gives none of them away.
    tables = [in_plain_order(table) for table, _ in checked]
    for table in tables:
        # A column of the product's own words (a role, a status) or of figures (a count, a week) holds no
        # name, though a name may hold one of them ("Coach Kim", "Sam Lee 2027"): only what cannot be a
        # word of it (an ID, an email) is looked for there.
        fixed = {column.name for column in table.columns if column.values or column.figures}
        words = {column.name for column in table.columns if column.own_words}  # withheld where they could
        values = table.column_values()
        refuse_identifying({name: v for name, v in values.items() if name not in fixed | words}, known)
        refuse_identifying({name: v for name, v in values.items() if name in fixed}, identities.user_ids)
    # A slug is the facilitators' own words and cannot be changed: one holding a word of a name (a
    # facilitator's "haddad-mentees") is left out of the package rather than stop every export for good.
    label = cohort.slug if identifying_kind(cohort.slug, Names.of(known)) is None else None
    unreadable = opener.unreadable if opener is not None else 0
    if unreadable:  # a count only: never whose words, nor any of them
        logger.warning(
            "%d survey answer(s)' shared words could not be opened with the notes key; left empty in the "
            "research export",
            unreadable,
        )
    files = package_files(
        label, cohort.research_statement_version, tables, len(who.people), unreadable=unreadable
    )
    for name in ("codebook.csv", "README.txt", "datapackage.json"):
        # Product text, not people's: only what cannot be a word of it (an ID, an email) is looked for.
        refuse_identifying({name: [files[name].decode("utf-8")]}, identities.user_ids)
    return ResearchExport(
        cohort.slug,
        f"{label or 'circles'}-research-{now:%Y%m%d}.zip",
        zip_bytes(files),
        len(files) - 2,
        len(who.people),
        who.left_out,
        own,
        sum(withheld for _, withheld in checked),
        unreadable,
    )


def _tables(
    session: Session,
    cohort_row: CohortRow,
    now: datetime,
    key: bytes,
    decrypt: Decrypt | None,
    facilitator: str | None,
) -> tuple[list[Table], c.Included, int]:
    """Every data table, from a fixed number of statements whatever the cohort's size, rare values hidden.

    A facilitator who is one of a pair, or was ever paired with one of its partners, knows that pair by its
    weeks: it is left out, with its check-ins, health and escalations (their partner's answers among them).
    """
    cohort = c.Cohort(
        cohort_row.id, ZoneInfo(cohort_row.timezone), key, cohort_row.research_statement_version
    )
    members = q.cohort_members(session, cohort.cohort_id, now)  # by `now`, as they stood then
    who = c.included(cohort, members, q.consent_histories(session, cohort.cohort_id), now)
    user_of = {member.member_id: member.user_id for member in members}
    pairs, theirs = [], set[int]()
    ever = partners_ever(session, cohort_row.workspace_id, facilitator) if facilitator is not None else set()
    for pair in q.cohort_partnerships(session, cohort.cohort_id, now):
        partners = (user_of.get(pair.first_member_id), user_of.get(pair.second_member_id))
        if one_of_the_pair(facilitator, partners, ever):
            theirs.add(pair.partnership_id)
        else:
            pairs.append(pair)
    ids = c.pair_ids(cohort, members, pairs)
    both = c.both_consented(pairs, who)
    not_theirs = [
        row for row in q.cohort_checkins(session, cohort.cohort_id, now) if row.partnership_id not in theirs
    ]
    # Nothing of a member's from before an erasure is exported again, nor counted in the summary.
    checkins = c.since_erasures(not_theirs, pairs, who)
    answers = c.answers_since_erasures(q.cohort_survey_answers(session, cohort.cohort_id, now), who)
    tables = [
        t.people_table(cohort, members, who),
        t.partnerships_table(cohort, pairs, ids, who),
        t.checkins_table(cohort, checkins, ids, who),
        survey_table(cohort, answers, who, decrypt),
        t.health_table(cohort, q.cohort_health(session, cohort.cohort_id, now), ids, both),
        t.escalations_table(cohort, q.cohort_escalations(session, cohort.cohort_id, now), ids, both),
        summary_table(cohort, members, checkins, who),
    ]
    return k_anonymous(tables), who, len(theirs)
