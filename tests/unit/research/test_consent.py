"""Consent: the latest decision up to the export wins, and withdrawing means being left out."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from circles.domain.research.consent import ConsentRecord, Decision, latest_decision, may_export

NOW = datetime(2027, 3, 1, 12, 0, tzinfo=UTC)


def given(days_ago: int, version: str = "v1") -> ConsentRecord:
    return ConsentRecord(Decision.GIVEN, NOW - timedelta(days=days_ago), version)


def withdrawn(days_ago: int, version: str = "v1") -> ConsentRecord:
    return ConsentRecord(Decision.WITHDRAWN, NOW - timedelta(days=days_ago), version)


def test_a_member_who_never_decided_is_not_exported() -> None:
    assert not may_export([], NOW)


def test_a_member_who_gave_consent_is_exported() -> None:
    assert may_export([given(10)], NOW)


def test_a_withdrawal_after_consent_excludes_the_member() -> None:
    assert not may_export([given(10), withdrawn(2)], NOW)


def test_consent_given_again_after_a_withdrawal_counts() -> None:
    assert may_export([withdrawn(5), given(10), given(1, "v2")], NOW)


def test_the_order_of_the_records_does_not_matter() -> None:
    assert not may_export([withdrawn(2), given(10)], NOW)
    assert not may_export([given(10), withdrawn(2)], NOW)


def test_decisions_after_the_export_date_are_not_looked_at() -> None:
    records = [given(10), withdrawn(2)]
    assert may_export(records, NOW - timedelta(days=5))
    assert not may_export([given(-1)], NOW)


def test_on_the_same_instant_a_withdrawal_wins() -> None:
    assert not may_export([given(3), withdrawn(3)], NOW)


def test_the_latest_decision_keeps_the_statement_version_agreed_to() -> None:
    latest = latest_decision([given(30, "v1"), given(4, "v2")], NOW)
    assert latest is not None
    assert latest.statement_version == "v2"
    assert latest.at == NOW - timedelta(days=4)
