"""The risk registry (涉诈名单): entries, their append-only event history, and appeals.

Entries are keyed by the keyed hash of the normalised identifier. ``masked`` is what screens show.
``raw_value`` is filled only for entries whose provenance authorises it (a police or platform
analyst acting under police authority); partner, public and detector entries never store it.
``source_org`` of a report lives in the event history and is shown only to the platform and police.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from fanzha.store.db import Base, UtcDateTime


class RegistryEntry(Base):
    __tablename__ = "registry_entries"
    __table_args__ = (UniqueConstraint("key_hash"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(16), index=True)
    key_hash: Mapped[str] = mapped_column(String(64))
    masked: Mapped[str] = mapped_column(String(128))
    raw_value: Mapped[str | None] = mapped_column(String(512), nullable=True)
    grade: Mapped[int] = mapped_column(Integer)
    fraud_type: Mapped[str | None] = mapped_column(String(32), nullable=True)
    code: Mapped[str | None] = mapped_column(String(4), nullable=True)
    source: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(String(500))
    evidence: Mapped[list] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(16), index=True)
    report_count: Mapped[int] = mapped_column(Integer, default=1)
    first_seen: Mapped[datetime] = mapped_column(UtcDateTime())
    last_seen: Mapped[datetime] = mapped_column(UtcDateTime())
    expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


class RegistryEntryEvent(Base):
    """Append-only: every change to an entry, who caused it (private), and why."""

    __tablename__ = "registry_entry_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("registry_entries.id"), index=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    action: Mapped[str] = mapped_column(String(32))
    source: Mapped[str | None] = mapped_column(String(16), nullable=True)
    actor_org: Mapped[str | None] = mapped_column(String(64), nullable=True)
    actor: Mapped[str | None] = mapped_column(String(128), nullable=True)
    status_after: Mapped[str] = mapped_column(String(16))
    grade_after: Mapped[int] = mapped_column(Integer)
    detail: Mapped[dict] = mapped_column(JSON, default=dict)


class RegistryAppeal(Base):
    __tablename__ = "registry_appeals"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("registry_entries.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), index=True)
    channel: Mapped[str] = mapped_column(String(32))
    applicant: Mapped[str | None] = mapped_column(String(128), nullable=True)
    statement: Mapped[str] = mapped_column(String(2000))
    documents: Mapped[list] = mapped_column(JSON, default=list)
    submitted_at: Mapped[datetime] = mapped_column(UtcDateTime())
    reverify_due_at: Mapped[datetime] = mapped_column(UtcDateTime())
    review_due_at: Mapped[datetime] = mapped_column(UtcDateTime())
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    decided_by: Mapped[str | None] = mapped_column(String(128), nullable=True)
    decision_note: Mapped[str | None] = mapped_column(String(2000), nullable=True)
