"""What every detector produces: a Finding about one entity, with reasons, evidence and the law.

Findings are written as Parquet under ``<data_dir>/findings/`` (one file per run), so registry and
decide rooms can read them with DuckDB without depending on the detector that produced them.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from fanzha.domain.taxonomy import RiskLevel

FINDING_SCHEMA = pa.schema(
    [
        pa.field("finding_id", pa.string(), nullable=False),
        pa.field("entity_kind", pa.string(), nullable=False),
        pa.field("entity_value", pa.string(), nullable=False),
        pa.field("detector", pa.string(), nullable=False),
        pa.field("rule_id", pa.string()),
        pa.field("score", pa.float64(), nullable=False),
        pa.field("grade", pa.int8(), nullable=False),
        pa.field("grade_label", pa.string(), nullable=False),
        pa.field("reasons", pa.list_(pa.string())),
        pa.field("evidence", pa.list_(pa.string())),
        pa.field("legal_basis", pa.string()),
        pa.field("next_action", pa.string()),
        pa.field("detected_at", pa.timestamp("us", tz="UTC"), nullable=False),
    ]
)


def grade_for(score: float) -> RiskLevel:
    """Map a 0..1 score to a registry grade (≥0.8 高, ≥0.5 中, ≥0.2 低)."""
    if score >= 0.8:
        return RiskLevel.HIGH
    if score >= 0.5:
        return RiskLevel.MEDIUM
    if score >= 0.2:
        return RiskLevel.LOW
    return RiskLevel.NONE


@dataclass(frozen=True)
class Finding:
    entity_kind: str  # number, account, person, outlet, agent, imei, phone
    entity_value: str
    detector: str
    score: float
    grade: RiskLevel
    reasons: tuple[str, ...]
    evidence: tuple[str, ...]  # event ids of the records behind the finding
    detected_at: datetime
    legal_basis: str | None = None
    next_action: str | None = None
    rule_id: str | None = None
    finding_id: str = field(default_factory=lambda: uuid.uuid4().hex)

    def __post_init__(self) -> None:
        if self.detected_at.tzinfo is None:
            raise ValueError("detected_at must carry a time zone")
        if not 0.0 <= self.score <= 1.0:
            raise ValueError(f"score must be within 0..1, got {self.score}")

    def as_row(self) -> dict:
        return {
            "finding_id": self.finding_id,
            "entity_kind": self.entity_kind,
            "entity_value": self.entity_value,
            "detector": self.detector,
            "rule_id": self.rule_id,
            "score": float(self.score),
            "grade": int(self.grade),
            "grade_label": RiskLevel(self.grade).label,
            "reasons": list(self.reasons),
            "evidence": list(self.evidence),
            "legal_basis": self.legal_basis,
            "next_action": self.next_action,
            "detected_at": self.detected_at.astimezone(UTC),
        }


def findings_table(findings: list[Finding]) -> pa.Table:
    return pa.Table.from_pylist([f.as_row() for f in findings], schema=FINDING_SCHEMA)


def write_findings(findings: list[Finding], data_dir: Path, run_at: datetime) -> Path | None:
    """Write one Parquet file ``findings/run-<UTC time>-<id>.parquet``; None if nothing found."""
    if not findings:
        return None
    d = Path(data_dir) / "findings"
    d.mkdir(parents=True, exist_ok=True)
    name = f"run-{run_at.astimezone(UTC):%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}.parquet"
    tmp = d / f".{name}.tmp"
    pq.write_table(findings_table(findings), tmp)
    final = d / name
    tmp.replace(final)
    return final


def read_findings(data_dir: Path) -> pa.Table:
    files = sorted((Path(data_dir) / "findings").glob("run-*.parquet"))
    if not files:
        return FINDING_SCHEMA.empty_table()
    return pa.concat_tables([pq.read_table(f) for f in files])
