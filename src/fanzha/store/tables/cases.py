"""Cases room (串并案): cases, their identifiers and traced fund flows, links and clusters.

Identifiers are stored three ways: the keyed hash (what linking uses), the masked display (what
screens show) and the raw value (only returned to authorised police; see ``fanzha.cases.service``).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from fanzha.store.db import Base, UtcDateTime


class Case(Base):
    __tablename__ = "cases"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # case_ref or report event id
    source: Mapped[str] = mapped_column(String(32))  # victim_report | public_report
    status: Mapped[str] = mapped_column(String(16), index=True, default="open")
    division_code: Mapped[str | None] = mapped_column(String(12), index=True, nullable=True)
    fraud_type: Mapped[str | None] = mapped_column(String(32), nullable=True)
    loss_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    victim_key: Mapped[str | None] = mapped_column(String(64), nullable=True)
    victim_masked: Mapped[str | None] = mapped_column(String(64), nullable=True)
    reported_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    description: Mapped[str | None] = mapped_column(String(2000), nullable=True)
    cluster_id: Mapped[str | None] = mapped_column(String(32), index=True, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


class CaseIdentifier(Base):
    __tablename__ = "case_identifiers"
    __table_args__ = (UniqueConstraint("case_id", "kind", "key_hash", "role"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[str] = mapped_column(
        String(64), ForeignKey("cases.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(16))
    key_hash: Mapped[str] = mapped_column(String(64), index=True)
    masked: Mapped[str] = mapped_column(String(160))
    raw_value: Mapped[str | None] = mapped_column(String(512), nullable=True)
    role: Mapped[str] = mapped_column(String(16), default="contact")  # contact|payee|device|...
    related_key: Mapped[str | None] = mapped_column(
        String(64), nullable=True
    )  # e.g. IMEI of a number


class CaseFundFlow(Base):
    __tablename__ = "case_fund_flows"
    __table_args__ = (Index("ix_case_fund_flows_to_key", "to_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[str] = mapped_column(
        String(64), ForeignKey("cases.id", ondelete="CASCADE"), index=True
    )
    hop: Mapped[int] = mapped_column(Integer)
    from_key: Mapped[str] = mapped_column(String(64))
    to_key: Mapped[str] = mapped_column(String(64))
    from_masked: Mapped[str] = mapped_column(String(64))
    to_masked: Mapped[str] = mapped_column(String(64))
    from_raw: Mapped[str | None] = mapped_column(String(128), nullable=True)
    to_raw: Mapped[str | None] = mapped_column(String(128), nullable=True)
    flow_time: Mapped[datetime] = mapped_column(UtcDateTime())
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    cash_out: Mapped[bool] = mapped_column(default=False)


class CaseCluster(Base):
    __tablename__ = "case_clusters"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    computed_at: Mapped[datetime] = mapped_column(UtcDateTime())
    n_cases: Mapped[int] = mapped_column(Integer)
    n_victims: Mapped[int] = mapped_column(Integer)
    loss_fen: Mapped[int] = mapped_column(BigInteger)
    first_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    last_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    divisions: Mapped[list] = mapped_column(JSON, default=list)
    summary: Mapped[dict] = mapped_column(JSON, default=dict)  # fraud types, key nodes, hubs, rules


class CaseLink(Base):
    """One piece of evidence that two cases belong together (one row per shared node)."""

    __tablename__ = "case_links"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    cluster_id: Mapped[str] = mapped_column(String(32), index=True)
    case_a: Mapped[str] = mapped_column(String(64), index=True)
    case_b: Mapped[str] = mapped_column(String(64), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    via: Mapped[str] = mapped_column(String(32))  # identifier | fund_flow | both
    key_hash: Mapped[str] = mapped_column(String(64))
    masked: Mapped[str] = mapped_column(String(160))
    weight: Mapped[float] = mapped_column(Float)


class CaseHub(Base):
    """Known hubs: nodes that never link cases (service numbers, popular sites, merchants'
    settlement accounts), with the rule that found them."""

    __tablename__ = "case_hubs"

    key_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    masked: Mapped[str] = mapped_column(String(160))
    reason: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())
