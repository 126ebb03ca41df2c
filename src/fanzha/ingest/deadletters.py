"""The dead-letter store: rejected records with their errors, until corrected and replayed."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from fanzha.store.tables.ingest import DeadLetter

OPEN, REPLAYED = "open", "replayed"


def fingerprint(kind: str, source_org: str, source: str, row: int, raw: dict) -> str:
    body = json.dumps([kind, source_org, source, row, raw], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def store(
    session: Session,
    batch_id: str,
    kind: str,
    source: str,
    source_org: str,
    rejects: list[tuple[int, dict, list[dict]]],
    now: datetime,
) -> int:
    """Add rejected records; a record already open (same file, row and content) is not added
    twice, so re-running a file after a crash leaves one dead letter per bad record."""
    if not rejects:
        return 0
    fps = [fingerprint(kind, source_org, source, r, raw) for r, raw, _ in rejects]
    existing: set[str] = set()
    for i in range(0, len(fps), 500):
        existing.update(
            session.scalars(
                select(DeadLetter.fingerprint).where(
                    DeadLetter.fingerprint.in_(fps[i : i + 500]), DeadLetter.status == OPEN
                )
            )
        )
    new = []
    for fp, (row, raw, errs) in zip(fps, rejects, strict=True):
        if fp in existing:
            continue
        existing.add(fp)
        new.append(
            {
                "batch_id": batch_id,
                "kind": kind,
                "source": source[:500],
                "source_org": source_org,
                "row_number": row,
                "raw": raw,
                "errors": errs,
                "fingerprint": fp,
                "status": OPEN,
                "created_at": now,
            }
        )
    if new:
        session.execute(insert(DeadLetter), new)
    return len(new)


def query(
    session: Session,
    *,
    kind: str | None = None,
    status: str | None = OPEN,
    batch_id: str | None = None,
    source_org: str | None = None,
    ids: list[int] | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> tuple[list[DeadLetter], int]:
    q = select(DeadLetter)
    if kind:
        q = q.where(DeadLetter.kind == kind)
    if status:
        q = q.where(DeadLetter.status == status)
    if batch_id:
        q = q.where(DeadLetter.batch_id == batch_id)
    if source_org:
        q = q.where(DeadLetter.source_org == source_org)
    if ids:
        q = q.where(DeadLetter.id.in_(ids))
    total = int(session.scalar(select(func.count()).select_from(q.subquery())) or 0)
    q = q.order_by(DeadLetter.id).offset(offset)
    if limit is not None:
        q = q.limit(limit)
    return list(session.scalars(q)), total


def export_rows(letters: list[DeadLetter]) -> list[dict]:
    """JSONL-ready rows: the raw record plus ``_dead_letter_id``/``_kind``/``_errors``; fix the
    fields, keep ``_dead_letter_id``, and feed the file to ``fanzha deadletter replay``."""
    out = []
    for d in letters:
        row = dict(d.raw)
        row["_dead_letter_id"] = d.id
        row["_kind"] = d.kind
        row["_source_org"] = d.source_org
        row["_errors"] = d.errors
        out.append(row)
    return out
