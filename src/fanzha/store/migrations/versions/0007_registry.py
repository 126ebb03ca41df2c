"""registry: risk-list entries, their append-only history, appeals

Revision ID: 0007_registry
Revises: 0001_foundation
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import fanzha.store.db

revision = "0007_registry"
down_revision = "0001_foundation"
branch_labels = ("registry",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "registry_entries",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("masked", sa.String(length=128), nullable=False),
        sa.Column("raw_value", sa.String(length=512), nullable=True),
        sa.Column("grade", sa.Integer(), nullable=False),
        sa.Column("fraud_type", sa.String(length=32), nullable=True),
        sa.Column("code", sa.String(length=4), nullable=True),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("report_count", sa.Integer(), nullable=False),
        sa.Column("first_seen", fanzha.store.db.UtcDateTime(), nullable=False),
        sa.Column("last_seen", fanzha.store.db.UtcDateTime(), nullable=False),
        sa.Column("expires_at", fanzha.store.db.UtcDateTime(), nullable=True),
        sa.Column("updated_at", fanzha.store.db.UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_registry_entries")),
        sa.UniqueConstraint("key_hash", name=op.f("uq_registry_entries_key_hash")),
    )
    op.create_index(op.f("ix_registry_entries_kind"), "registry_entries", ["kind"], unique=False)
    op.create_index(
        op.f("ix_registry_entries_status"), "registry_entries", ["status"], unique=False
    )
    op.create_table(
        "registry_entry_events",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("at", fanzha.store.db.UtcDateTime(), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=True),
        sa.Column("actor_org", sa.String(length=64), nullable=True),
        sa.Column("actor", sa.String(length=128), nullable=True),
        sa.Column("status_after", sa.String(length=16), nullable=False),
        sa.Column("grade_after", sa.Integer(), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["entry_id"],
            ["registry_entries.id"],
            name=op.f("fk_registry_entry_events_entry_id_registry_entries"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_registry_entry_events")),
    )
    op.create_index(
        op.f("ix_registry_entry_events_entry_id"),
        "registry_entry_events",
        ["entry_id"],
        unique=False,
    )
    op.create_table(
        "registry_appeals",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("applicant", sa.String(length=128), nullable=True),
        sa.Column("statement", sa.String(length=2000), nullable=False),
        sa.Column("documents", sa.JSON(), nullable=False),
        sa.Column("submitted_at", fanzha.store.db.UtcDateTime(), nullable=False),
        sa.Column("reverify_due_at", fanzha.store.db.UtcDateTime(), nullable=False),
        sa.Column("review_due_at", fanzha.store.db.UtcDateTime(), nullable=False),
        sa.Column("decided_at", fanzha.store.db.UtcDateTime(), nullable=True),
        sa.Column("decided_by", sa.String(length=128), nullable=True),
        sa.Column("decision_note", sa.String(length=2000), nullable=True),
        sa.ForeignKeyConstraint(
            ["entry_id"],
            ["registry_entries.id"],
            name=op.f("fk_registry_appeals_entry_id_registry_entries"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_registry_appeals")),
    )
    op.create_index(
        op.f("ix_registry_appeals_entry_id"), "registry_appeals", ["entry_id"], unique=False
    )
    op.create_index(
        op.f("ix_registry_appeals_status"), "registry_appeals", ["status"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_registry_appeals_status"), table_name="registry_appeals")
    op.drop_index(op.f("ix_registry_appeals_entry_id"), table_name="registry_appeals")
    op.drop_table("registry_appeals")
    op.drop_index(op.f("ix_registry_entry_events_entry_id"), table_name="registry_entry_events")
    op.drop_table("registry_entry_events")
    op.drop_index(op.f("ix_registry_entries_status"), table_name="registry_entries")
    op.drop_index(op.f("ix_registry_entries_kind"), table_name="registry_entries")
    op.drop_table("registry_entries")
