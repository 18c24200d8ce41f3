"""Decision events: the append-only audit trail of reviewed decisions.

Revision ID: 0001
Revises:
Create Date: 2026-01-12
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

_REPORTS = "'SOC 1', 'SOC 2', 'Both', 'Neither'"


def upgrade() -> None:
    op.create_table(
        "decision_events",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("uid", sa.String(64), nullable=False, unique=True),
        sa.Column("action", sa.String(8), nullable=False),
        sa.Column("key_kind", sa.String(8), nullable=False),
        sa.Column("org_key", sa.Text, nullable=False),
        sa.Column("name_key", sa.Text, nullable=True),
        sa.Column("organisation", sa.Text, nullable=False),
        sa.Column("website", sa.Text, nullable=True),
        sa.Column("report", sa.String(16), nullable=True),
        sa.Column("categories", sa.Text, nullable=False, server_default=""),
        sa.Column("report_type", sa.String(16), nullable=False, server_default=""),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("decided_by", sa.Text, nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("previous_report", sa.String(16), nullable=True),
        sa.Column("previous_categories", sa.Text, nullable=False, server_default=""),
        sa.Column("previous_report_type", sa.String(16), nullable=False, server_default=""),
        sa.Column("origin_uid", sa.String(64), nullable=True),
        sa.Column("origin_by", sa.Text, nullable=True),
        sa.Column("origin_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("action IN ('set', 'undo', 'clear', 'import')", name="ck_decision_events_action"),
        sa.CheckConstraint("key_kind IN ('domain', 'name')", name="ck_decision_events_key_kind"),
        sa.CheckConstraint(f"report IS NULL OR report IN ({_REPORTS})", name="ck_decision_events_report"),
        sa.CheckConstraint(
            "report_type = '' OR report_type IN ('Type 1', 'Type 2')", name="ck_decision_events_report_type"
        ),
        sa.CheckConstraint("length(trim(reason)) > 0", name="ck_decision_events_reason"),
        sa.CheckConstraint("length(trim(decided_by)) > 0", name="ck_decision_events_decided_by"),
    )
    op.create_index("ix_decision_events_key", "decision_events", ["key_kind", "org_key", "id"])
    op.create_index("ix_decision_events_name_key", "decision_events", ["name_key"])
    op.create_index("ix_decision_events_origin_uid", "decision_events", ["origin_uid"])
    # the trail is never rewritten: the database itself refuses to change or remove an event
    if op.get_context().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION decision_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
            "BEGIN RAISE EXCEPTION 'decision_events is append-only: % refused', TG_OP; END $$"
        )
        op.execute(
            "CREATE TRIGGER decision_events_no_change BEFORE UPDATE OR DELETE ON decision_events "
            "FOR EACH ROW EXECUTE FUNCTION decision_events_append_only()"
        )
        op.execute(
            "CREATE TRIGGER decision_events_no_truncate BEFORE TRUNCATE ON decision_events "
            "FOR EACH STATEMENT EXECUTE FUNCTION decision_events_append_only()"
        )
    else:
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER decision_events_no_{verb.lower()} BEFORE {verb} ON decision_events "
                f"BEGIN SELECT RAISE(ABORT, 'decision_events is append-only: {verb} refused'); END"
            )


def downgrade() -> None:
    if op.get_context().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS decision_events_no_truncate ON decision_events")
        op.execute("DROP TRIGGER IF EXISTS decision_events_no_change ON decision_events")
        op.execute("DROP FUNCTION IF EXISTS decision_events_append_only()")
    op.drop_table("decision_events")
