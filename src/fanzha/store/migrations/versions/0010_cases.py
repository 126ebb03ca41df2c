"""cases: cases, identifiers, fund flows, links and clusters (串并案)

Revision ID: 0010_cases
Revises: 0001_foundation
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import fanzha.store.db

revision = "0010_cases"
down_revision = "0001_foundation"
branch_labels = ("cases",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "case_hubs",
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("masked", sa.String(length=160), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("updated_at", fanzha.store.db.UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("key_hash", name=op.f("pk_case_hubs")),
    )
    op.create_table(
        "case_clusters",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("computed_at", fanzha.store.db.UtcDateTime(), nullable=False),
        sa.Column("n_cases", sa.Integer(), nullable=False),
        sa.Column("n_victims", sa.Integer(), nullable=False),
        sa.Column("loss_fen", sa.BigInteger(), nullable=False),
        sa.Column("first_at", fanzha.store.db.UtcDateTime(), nullable=True),
        sa.Column("last_at", fanzha.store.db.UtcDateTime(), nullable=True),
        sa.Column("divisions", sa.JSON(), nullable=False),
        sa.Column("summary", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_clusters")),
    )
    op.create_table(
        "case_links",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("cluster_id", sa.String(length=32), nullable=False),
        sa.Column("case_a", sa.String(length=64), nullable=False),
        sa.Column("case_b", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("via", sa.String(length=32), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("masked", sa.String(length=160), nullable=False),
        sa.Column("weight", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_links")),
    )
    op.create_index(op.f("ix_case_links_case_a"), "case_links", ["case_a"], unique=False)
    op.create_index(op.f("ix_case_links_case_b"), "case_links", ["case_b"], unique=False)
    op.create_index(op.f("ix_case_links_cluster_id"), "case_links", ["cluster_id"], unique=False)
    op.create_table(
        "cases",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("source", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("division_code", sa.String(length=12), nullable=True),
        sa.Column("fraud_type", sa.String(length=32), nullable=True),
        sa.Column("loss_fen", sa.BigInteger(), nullable=False),
        sa.Column("victim_key", sa.String(length=64), nullable=True),
        sa.Column("victim_masked", sa.String(length=64), nullable=True),
        sa.Column("reported_at", fanzha.store.db.UtcDateTime(), nullable=False),
        sa.Column("description", sa.String(length=2000), nullable=True),
        sa.Column("cluster_id", sa.String(length=32), nullable=True),
        sa.Column("created_at", fanzha.store.db.UtcDateTime(), nullable=False),
        sa.Column("updated_at", fanzha.store.db.UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cases")),
    )
    op.create_index(op.f("ix_cases_cluster_id"), "cases", ["cluster_id"], unique=False)
    op.create_index(op.f("ix_cases_division_code"), "cases", ["division_code"], unique=False)
    op.create_index(op.f("ix_cases_reported_at"), "cases", ["reported_at"], unique=False)
    op.create_index(op.f("ix_cases_status"), "cases", ["status"], unique=False)
    op.create_table(
        "case_fund_flows",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("case_id", sa.String(length=64), nullable=False),
        sa.Column("hop", sa.Integer(), nullable=False),
        sa.Column("from_key", sa.String(length=64), nullable=False),
        sa.Column("to_key", sa.String(length=64), nullable=False),
        sa.Column("from_masked", sa.String(length=64), nullable=False),
        sa.Column("to_masked", sa.String(length=64), nullable=False),
        sa.Column("from_raw", sa.String(length=128), nullable=True),
        sa.Column("to_raw", sa.String(length=128), nullable=True),
        sa.Column("flow_time", fanzha.store.db.UtcDateTime(), nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("cash_out", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_case_fund_flows_case_id_cases"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_fund_flows")),
    )
    op.create_index(
        op.f("ix_case_fund_flows_case_id"), "case_fund_flows", ["case_id"], unique=False
    )
    op.create_index("ix_case_fund_flows_to_key", "case_fund_flows", ["to_key"], unique=False)
    op.create_table(
        "case_identifiers",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("case_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("masked", sa.String(length=160), nullable=False),
        sa.Column("raw_value", sa.String(length=512), nullable=True),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("related_key", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_case_identifiers_case_id_cases"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_identifiers")),
        sa.UniqueConstraint(
            "case_id", "kind", "key_hash", "role", name=op.f("uq_case_identifiers_case_id")
        ),
    )
    op.create_index(
        op.f("ix_case_identifiers_case_id"), "case_identifiers", ["case_id"], unique=False
    )
    op.create_index(
        op.f("ix_case_identifiers_key_hash"), "case_identifiers", ["key_hash"], unique=False
    )


def downgrade() -> None:
    op.drop_table("case_hubs")
    op.drop_index(op.f("ix_case_identifiers_key_hash"), table_name="case_identifiers")
    op.drop_index(op.f("ix_case_identifiers_case_id"), table_name="case_identifiers")
    op.drop_table("case_identifiers")
    op.drop_index("ix_case_fund_flows_to_key", table_name="case_fund_flows")
    op.drop_index(op.f("ix_case_fund_flows_case_id"), table_name="case_fund_flows")
    op.drop_table("case_fund_flows")
    op.drop_index(op.f("ix_cases_status"), table_name="cases")
    op.drop_index(op.f("ix_cases_reported_at"), table_name="cases")
    op.drop_index(op.f("ix_cases_division_code"), table_name="cases")
    op.drop_index(op.f("ix_cases_cluster_id"), table_name="cases")
    op.drop_table("cases")
    op.drop_index(op.f("ix_case_links_cluster_id"), table_name="case_links")
    op.drop_index(op.f("ix_case_links_case_b"), table_name="case_links")
    op.drop_index(op.f("ix_case_links_case_a"), table_name="case_links")
    op.drop_table("case_links")
    op.drop_table("case_clusters")
