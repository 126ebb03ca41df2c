"""warn: warnings about people, signals, tasks, inbox, operator requests, feedback labels

Revision ID: 0008_warn
Revises: 0001_foundation
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import fanzha.store.db

revision = "0008_warn"
down_revision = "0001_foundation"
branch_labels = ("warn",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "warnings",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("person_key", sa.String(length=64), nullable=False),
        sa.Column("person_masked", sa.String(length=64), nullable=False),
        sa.Column("phone", sa.String(length=32), nullable=True),
        sa.Column("phone_masked", sa.String(length=32), nullable=True),
        sa.Column("age", sa.Integer(), nullable=True),
        sa.Column("division_code", sa.String(length=6), nullable=True),
        sa.Column("unit_org_id", sa.String(length=64), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("fraud_type", sa.String(length=32), nullable=False),
        sa.Column("dimensions", sa.JSON(), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=True),
        sa.Column("sms_text", sa.Text(), nullable=True),
        sa.Column("case_ref", sa.String(length=64), nullable=True),
        sa.Column("first_exposure_at", fanzha.store.db.UtcDateTime(), nullable=False),
        sa.Column("created_at", fanzha.store.db.UtcDateTime(), nullable=False),
        sa.Column("updated_at", fanzha.store.db.UtcDateTime(), nullable=False),
        sa.Column("contacted_at", fanzha.store.db.UtcDateTime(), nullable=True),
        sa.Column("closed_at", fanzha.store.db.UtcDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_warnings")),
    )
    op.create_index(op.f("ix_warnings_created_at"), "warnings", ["created_at"], unique=False)
    op.create_index(op.f("ix_warnings_division_code"), "warnings", ["division_code"], unique=False)
    op.create_index(op.f("ix_warnings_person_key"), "warnings", ["person_key"], unique=False)
    op.create_index(op.f("ix_warnings_status"), "warnings", ["status"], unique=False)
    op.create_index(op.f("ix_warnings_unit_org_id"), "warnings", ["unit_org_id"], unique=False)
    op.create_table(
        "warn_inbox",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("phone_hash", sa.String(length=64), nullable=False),
        sa.Column("warning_id", sa.Integer(), nullable=False),
        sa.Column("at", fanzha.store.db.UtcDateTime(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("read_at", fanzha.store.db.UtcDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["warning_id"], ["warnings.id"], name=op.f("fk_warn_inbox_warning_id_warnings")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_warn_inbox")),
    )
    op.create_index(op.f("ix_warn_inbox_phone_hash"), "warn_inbox", ["phone_hash"], unique=False)
    op.create_index(op.f("ix_warn_inbox_warning_id"), "warn_inbox", ["warning_id"], unique=False)
    op.create_table(
        "warn_labels",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("warning_id", sa.Integer(), nullable=False),
        sa.Column("counterpart_kind", sa.String(length=16), nullable=False),
        sa.Column("counterpart_hash", sa.String(length=64), nullable=False),
        sa.Column("label", sa.String(length=16), nullable=False),
        sa.Column("at", fanzha.store.db.UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["warning_id"], ["warnings.id"], name=op.f("fk_warn_labels_warning_id_warnings")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_warn_labels")),
    )
    op.create_index(
        op.f("ix_warn_labels_counterpart_hash"), "warn_labels", ["counterpart_hash"], unique=False
    )
    op.create_index(op.f("ix_warn_labels_warning_id"), "warn_labels", ["warning_id"], unique=False)
    op.create_table(
        "warn_operator_requests",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("warning_id", sa.Integer(), nullable=False),
        sa.Column("phone_hash", sa.String(length=64), nullable=False),
        sa.Column("phone_masked", sa.String(length=32), nullable=False),
        sa.Column("request", sa.String(length=32), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("at", fanzha.store.db.UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["warning_id"],
            ["warnings.id"],
            name=op.f("fk_warn_operator_requests_warning_id_warnings"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_warn_operator_requests")),
    )
    op.create_index(
        op.f("ix_warn_operator_requests_warning_id"),
        "warn_operator_requests",
        ["warning_id"],
        unique=False,
    )
    op.create_table(
        "warn_tasks",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("warning_id", sa.Integer(), nullable=False),
        sa.Column("unit_org_id", sa.String(length=64), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("deadline", fanzha.store.db.UtcDateTime(), nullable=False),
        sa.Column("created_at", fanzha.store.db.UtcDateTime(), nullable=False),
        sa.Column("received_at", fanzha.store.db.UtcDateTime(), nullable=True),
        sa.Column("done_at", fanzha.store.db.UtcDateTime(), nullable=True),
        sa.Column("escalations", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["warning_id"], ["warnings.id"], name=op.f("fk_warn_tasks_warning_id_warnings")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_warn_tasks")),
    )
    op.create_index(op.f("ix_warn_tasks_deadline"), "warn_tasks", ["deadline"], unique=False)
    op.create_index(op.f("ix_warn_tasks_status"), "warn_tasks", ["status"], unique=False)
    op.create_index(op.f("ix_warn_tasks_unit_org_id"), "warn_tasks", ["unit_org_id"], unique=False)
    op.create_index(op.f("ix_warn_tasks_warning_id"), "warn_tasks", ["warning_id"], unique=False)
    op.create_table(
        "warning_signals",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("warning_id", sa.Integer(), nullable=False),
        sa.Column("at", fanzha.store.db.UtcDateTime(), nullable=False),
        sa.Column("signal_kind", sa.String(length=16), nullable=False),
        sa.Column("dimension", sa.String(length=16), nullable=False),
        sa.Column("counterpart_kind", sa.String(length=16), nullable=False),
        sa.Column("counterpart_hash", sa.String(length=64), nullable=False),
        sa.Column("counterpart_masked", sa.String(length=64), nullable=False),
        sa.Column("fraud_type", sa.String(length=32), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["warning_id"], ["warnings.id"], name=op.f("fk_warning_signals_warning_id_warnings")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_warning_signals")),
    )
    op.create_index(
        op.f("ix_warning_signals_counterpart_hash"),
        "warning_signals",
        ["counterpart_hash"],
        unique=False,
    )
    op.create_index(
        op.f("ix_warning_signals_warning_id"), "warning_signals", ["warning_id"], unique=False
    )
    op.create_table(
        "warn_task_events",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("at", fanzha.store.db.UtcDateTime(), nullable=False),
        sa.Column("event", sa.String(length=32), nullable=False),
        sa.Column("actor", sa.String(length=128), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["task_id"], ["warn_tasks.id"], name=op.f("fk_warn_task_events_task_id_warn_tasks")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_warn_task_events")),
    )
    op.create_index(
        op.f("ix_warn_task_events_task_id"), "warn_task_events", ["task_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_warn_task_events_task_id"), table_name="warn_task_events")
    op.drop_table("warn_task_events")
    op.drop_index(op.f("ix_warning_signals_warning_id"), table_name="warning_signals")
    op.drop_index(op.f("ix_warning_signals_counterpart_hash"), table_name="warning_signals")
    op.drop_table("warning_signals")
    op.drop_index(op.f("ix_warn_tasks_warning_id"), table_name="warn_tasks")
    op.drop_index(op.f("ix_warn_tasks_unit_org_id"), table_name="warn_tasks")
    op.drop_index(op.f("ix_warn_tasks_status"), table_name="warn_tasks")
    op.drop_index(op.f("ix_warn_tasks_deadline"), table_name="warn_tasks")
    op.drop_table("warn_tasks")
    op.drop_index(op.f("ix_warn_operator_requests_warning_id"), table_name="warn_operator_requests")
    op.drop_table("warn_operator_requests")
    op.drop_index(op.f("ix_warn_labels_warning_id"), table_name="warn_labels")
    op.drop_index(op.f("ix_warn_labels_counterpart_hash"), table_name="warn_labels")
    op.drop_table("warn_labels")
    op.drop_index(op.f("ix_warn_inbox_warning_id"), table_name="warn_inbox")
    op.drop_index(op.f("ix_warn_inbox_phone_hash"), table_name="warn_inbox")
    op.drop_table("warn_inbox")
    op.drop_index(op.f("ix_warnings_unit_org_id"), table_name="warnings")
    op.drop_index(op.f("ix_warnings_status"), table_name="warnings")
    op.drop_index(op.f("ix_warnings_person_key"), table_name="warnings")
    op.drop_index(op.f("ix_warnings_division_code"), table_name="warnings")
    op.drop_index(op.f("ix_warnings_created_at"), table_name="warnings")
    op.drop_table("warnings")
