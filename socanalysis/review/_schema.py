"""The tables of the decisions store, as the code reads and writes them (the schema at head).

The migrations under ``migrations/versions`` create these tables step by step; a test checks
that a store upgraded to head matches this metadata exactly.

``decision_events`` is append-only: every change to a decision is a new row, and triggers in the
database refuse UPDATE and DELETE. ``snapshots`` and ``snapshot_rows`` hold saved portfolios.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
)

from ._vocab import ACTIONS, KEY_KINDS, REPORT_TYPES, REPORTS


class UTCDateTime(TypeDecorator):
    """A timezone-aware UTC timestamp on every backend.

    PostgreSQL stores ``timestamptz``; SQLite, which has no time zones, stores UTC without an
    offset. Values come back as aware :class:`datetime.datetime` in UTC; naive values are refused.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"timestamp {value!r} has no time zone; give an aware datetime (UTC)")
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


metadata = MetaData()

decision_events = Table(
    "decision_events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("uid", String(64), nullable=False, unique=True),
    Column("action", String(8), nullable=False),
    Column("key_kind", String(8), nullable=False),
    Column("org_key", Text, nullable=False),
    Column("name_key", Text, nullable=True),
    Column("organisation", Text, nullable=False),
    Column("website", Text, nullable=True),
    Column("report", String(16), nullable=True),
    Column("categories", Text, nullable=False, server_default=""),
    Column("report_type", String(16), nullable=False, server_default=""),
    Column("reason", Text, nullable=False),
    Column("decided_by", Text, nullable=False),
    Column("decided_at", UTCDateTime(), nullable=False),
    Column("previous_report", String(16), nullable=True),
    Column("previous_categories", Text, nullable=False, server_default=""),
    Column("previous_report_type", String(16), nullable=False, server_default=""),
    Column("origin_uid", String(64), nullable=True),
    Column("origin_by", Text, nullable=True),
    Column("origin_at", UTCDateTime(), nullable=True),
    CheckConstraint(_in("action", ACTIONS), name="ck_decision_events_action"),
    CheckConstraint(_in("key_kind", KEY_KINDS), name="ck_decision_events_key_kind"),
    CheckConstraint(f"report IS NULL OR {_in('report', REPORTS)}", name="ck_decision_events_report"),
    CheckConstraint(f"report_type = '' OR {_in('report_type', REPORT_TYPES)}", name="ck_decision_events_report_type"),
    CheckConstraint("length(trim(reason)) > 0", name="ck_decision_events_reason"),
    CheckConstraint("length(trim(decided_by)) > 0", name="ck_decision_events_decided_by"),
    Index("ix_decision_events_key", "key_kind", "org_key", "id"),
    Index("ix_decision_events_name_key", "name_key"),
    Index("ix_decision_events_origin_uid", "origin_uid"),
)

snapshots = Table(
    "snapshots",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("label", Text, nullable=True),
    Column("as_of", Date, nullable=False),
    Column("saved_at", UTCDateTime(), nullable=False),
    Column("organisations", Integer, nullable=False),
)

snapshot_rows = Table(
    "snapshot_rows",
    metadata,
    Column("snapshot_id", Integer, ForeignKey("snapshots.id", ondelete="CASCADE"), primary_key=True),
    Column("position", Integer, primary_key=True, autoincrement=False),
    Column("key_kind", String(8), nullable=True),
    Column("org_key", Text, nullable=True),
    Column("organisation", Text, nullable=True),
    Column("soc_report", String(16), nullable=True),
    Column("coverage_status", String(32), nullable=False),
    Column("current_reports", Text, nullable=True),
    Column("months_since_period_end", Float, nullable=True),
    Index("ix_snapshot_rows_key", "snapshot_id", "key_kind", "org_key"),
)
