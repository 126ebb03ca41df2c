"""ingest: dead letters

Revision ID: 0003_ingest
Revises: 0001_foundation
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import fanzha.store.db

revision = "0003_ingest"
down_revision = "0001_foundation"
branch_labels = ("ingest",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "dead_letters",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("batch_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("source", sa.String(length=500), nullable=False),
        sa.Column("source_org", sa.String(length=64), nullable=False),
        sa.Column("row_number", sa.Integer(), nullable=False),
        sa.Column("raw", sa.JSON(), nullable=False),
        sa.Column("errors", sa.JSON(), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", fanzha.store.db.UtcDateTime(), nullable=False),
        sa.Column("replayed_at", fanzha.store.db.UtcDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dead_letters")),
    )
    op.create_index(op.f("ix_dead_letters_batch_id"), "dead_letters", ["batch_id"], unique=False)
    op.create_index(op.f("ix_dead_letters_kind"), "dead_letters", ["kind"], unique=False)
    op.create_index(
        op.f("ix_dead_letters_fingerprint"), "dead_letters", ["fingerprint"], unique=False
    )
    op.create_index(
        op.f("ix_dead_letters_source_org"), "dead_letters", ["source_org"], unique=False
    )
    op.create_index(op.f("ix_dead_letters_status"), "dead_letters", ["status"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_dead_letters_status"), table_name="dead_letters")
    op.drop_index(op.f("ix_dead_letters_source_org"), table_name="dead_letters")
    op.drop_index(op.f("ix_dead_letters_kind"), table_name="dead_letters")
    op.drop_index(op.f("ix_dead_letters_fingerprint"), table_name="dead_letters")
    op.drop_index(op.f("ix_dead_letters_batch_id"), table_name="dead_letters")
    op.drop_table("dead_letters")
