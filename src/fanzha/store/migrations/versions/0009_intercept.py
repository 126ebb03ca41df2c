"""intercept: victim reports, orders, returns

Revision ID: 0009_intercept
Revises: 0001_foundation
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import fanzha.store.db

revision = "0009_intercept"
down_revision = "0001_foundation"
branch_labels = ("intercept",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "intercept_reports",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("case_no", sa.String(length=64), nullable=False),
        sa.Column("victim_id", sa.String(length=128), nullable=False),
        sa.Column("victim_name", sa.String(length=128), nullable=True),
        sa.Column("victim_phone", sa.String(length=32), nullable=True),
        sa.Column("fraud_type", sa.String(length=64), nullable=True),
        sa.Column("division_code", sa.String(length=6), nullable=True),
        sa.Column("org_id", sa.String(length=64), nullable=False),
        sa.Column("reported_at", fanzha.store.db.UtcDateTime(), nullable=False),
        sa.Column("entry_due_at", fanzha.store.db.UtcDateTime(), nullable=False),
        sa.Column("first_hop_entered_at", fanzha.store.db.UtcDateTime(), nullable=True),
        sa.Column("loss_fen", sa.BigInteger(), nullable=False),
        sa.Column("involved", sa.JSON(), nullable=False),
        sa.Column("transfers", sa.JSON(), nullable=False),
        sa.Column("description", sa.String(length=4000), nullable=True),
        sa.Column("created_at", fanzha.store.db.UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_intercept_reports")),
    )
    with op.batch_alter_table("intercept_reports", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_intercept_reports_case_no"), ["case_no"], unique=False)
        batch_op.create_index(batch_op.f("ix_intercept_reports_org_id"), ["org_id"], unique=False)

    op.create_table(
        "intercept_orders",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("application_no", sa.String(length=40), nullable=False),
        sa.Column("order_type", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("urgency", sa.String(length=16), nullable=False),
        sa.Column("case_no", sa.String(length=64), nullable=False),
        sa.Column("case_type", sa.String(length=64), nullable=False),
        sa.Column("reason", sa.String(length=1000), nullable=False),
        sa.Column("operator", sa.String(length=64), nullable=False),
        sa.Column("co_operator", sa.String(length=64), nullable=True),
        sa.Column("issuing_org", sa.String(length=64), nullable=False),
        sa.Column("addressee_org", sa.String(length=64), nullable=False),
        sa.Column("account", sa.String(length=64), nullable=True),
        sa.Column("account_name", sa.String(length=128), nullable=True),
        sa.Column("id_number", sa.String(length=32), nullable=True),
        sa.Column("amount_fen", sa.BigInteger(), nullable=True),
        sa.Column("transaction_ref", sa.String(length=64), nullable=True),
        sa.Column("serious", sa.Boolean(), nullable=False),
        sa.Column("approval_ref", sa.String(length=64), nullable=True),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("report_id", sa.Integer(), nullable=True),
        sa.Column("created_at", fanzha.store.db.UtcDateTime(), nullable=False),
        sa.Column("reply_due_at", fanzha.store.db.UtcDateTime(), nullable=False),
        sa.Column("executed_at", fanzha.store.db.UtcDateTime(), nullable=True),
        sa.Column("expires_at", fanzha.store.db.UtcDateTime(), nullable=True),
        sa.Column("closed_at", fanzha.store.db.UtcDateTime(), nullable=True),
        sa.Column("reply", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["intercept_orders.id"],
            name=op.f("fk_intercept_orders_parent_id_intercept_orders"),
        ),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["intercept_reports.id"],
            name=op.f("fk_intercept_orders_report_id_intercept_reports"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_intercept_orders")),
        sa.UniqueConstraint("application_no", name=op.f("uq_intercept_orders_application_no")),
    )
    with op.batch_alter_table("intercept_orders", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_intercept_orders_account"), ["account"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_intercept_orders_addressee_org"), ["addressee_org"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_intercept_orders_case_no"), ["case_no"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_intercept_orders_expires_at"), ["expires_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_intercept_orders_issuing_org"), ["issuing_org"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_intercept_orders_order_type"), ["order_type"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_intercept_orders_parent_id"), ["parent_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_intercept_orders_status"), ["status"], unique=False)

    op.create_table(
        "intercept_returns",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("case_no", sa.String(length=64), nullable=False),
        sa.Column("freeze_order_id", sa.Integer(), nullable=True),
        sa.Column("account", sa.String(length=64), nullable=False),
        sa.Column("round_no", sa.Integer(), nullable=False),
        sa.Column("basis", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("frozen_fen", sa.BigInteger(), nullable=False),
        sa.Column("returned_fen", sa.BigInteger(), nullable=False),
        sa.Column("remainder_fen", sa.BigInteger(), nullable=False),
        sa.Column("lines", sa.JSON(), nullable=False),
        sa.Column("objections", sa.JSON(), nullable=False),
        sa.Column("issuing_org", sa.String(length=64), nullable=False),
        sa.Column("created_at", fanzha.store.db.UtcDateTime(), nullable=False),
        sa.Column("notice_until", fanzha.store.db.UtcDateTime(), nullable=True),
        sa.Column("decided_at", fanzha.store.db.UtcDateTime(), nullable=True),
        sa.Column("pay_by", fanzha.store.db.UtcDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["freeze_order_id"],
            ["intercept_orders.id"],
            name=op.f("fk_intercept_returns_freeze_order_id_intercept_orders"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_intercept_returns")),
    )
    with op.batch_alter_table("intercept_returns", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_intercept_returns_account"), ["account"], unique=False)
        batch_op.create_index(batch_op.f("ix_intercept_returns_case_no"), ["case_no"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("intercept_returns", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_intercept_returns_case_no"))
        batch_op.drop_index(batch_op.f("ix_intercept_returns_account"))

    op.drop_table("intercept_returns")
    with op.batch_alter_table("intercept_orders", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_intercept_orders_status"))
        batch_op.drop_index(batch_op.f("ix_intercept_orders_parent_id"))
        batch_op.drop_index(batch_op.f("ix_intercept_orders_order_type"))
        batch_op.drop_index(batch_op.f("ix_intercept_orders_issuing_org"))
        batch_op.drop_index(batch_op.f("ix_intercept_orders_expires_at"))
        batch_op.drop_index(batch_op.f("ix_intercept_orders_case_no"))
        batch_op.drop_index(batch_op.f("ix_intercept_orders_addressee_org"))
        batch_op.drop_index(batch_op.f("ix_intercept_orders_account"))

    op.drop_table("intercept_orders")
    with op.batch_alter_table("intercept_reports", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_intercept_reports_org_id"))
        batch_op.drop_index(batch_op.f("ix_intercept_reports_case_no"))

    op.drop_table("intercept_reports")
