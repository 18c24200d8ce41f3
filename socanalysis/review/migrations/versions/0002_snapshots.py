"""Portfolio snapshots: the coverage of every organisation at a date, to follow over time.

Revision ID: 0002
Revises: 0001
Create Date: 2026-01-12
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "snapshots",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("label", sa.Text, nullable=True),
        sa.Column("as_of", sa.Date, nullable=False),
        sa.Column("saved_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("organisations", sa.Integer, nullable=False),
    )
    op.create_table(
        "snapshot_rows",
        sa.Column("snapshot_id", sa.Integer, sa.ForeignKey("snapshots.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("position", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("key_kind", sa.String(8), nullable=True),
        sa.Column("org_key", sa.Text, nullable=True),
        sa.Column("organisation", sa.Text, nullable=True),
        sa.Column("soc_report", sa.String(16), nullable=True),
        sa.Column("coverage_status", sa.String(32), nullable=False),
        sa.Column("current_reports", sa.Text, nullable=True),
        sa.Column("months_since_period_end", sa.Float, nullable=True),
    )
    op.create_index("ix_snapshot_rows_key", "snapshot_rows", ["snapshot_id", "key_kind", "org_key"])


def downgrade() -> None:
    op.drop_table("snapshot_rows")
    op.drop_table("snapshots")
