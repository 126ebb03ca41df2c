"""The append-only, hash-chained audit log.

Each row's ``hash`` is SHA-256 over the canonical JSON of its fields plus the previous row's hash,
so editing, deleting, inserting or reordering any row breaks the chain at that row. A single-row
chain head (``audit_chain_head``, id=1) holds the last seq and hash; appends lock it first (an
``UPDATE`` takes the row lock on PostgreSQL and the database write lock on SQLite), which
serialises concurrent writers on both. ``refs`` carry ids or keyed hashes, never raw personal data:
use :func:`ref_hash` for identifiers.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from fanzha.access.principal import Principal
from fanzha.settings import get_settings
from fanzha.store.tables.access import AuditChainHead, AuditEntry

GENESIS = "0" * 64
HEAD_ID = 1


def ref_hash(value: str) -> str:
    """A keyed hash of an identifier for audit refs (never store the identifier itself)."""
    digest = hmac.new(get_settings().secret_bytes, value.encode("utf-8"), hashlib.sha256)
    return "h:" + digest.hexdigest()[:32]


def _jsonable(value: Any) -> Any:
    """Round-trip through JSON so the stored value hashes the same after reading back."""
    return json.loads(json.dumps(value, ensure_ascii=False, default=str, sort_keys=True))


def _at_text(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def row_hash(
    *,
    seq: int,
    at: datetime,
    actor_org: str,
    actor_user: str | None,
    actor_key: str | None,
    action: str,
    resource_kind: str,
    refs: list,
    detail: dict,
    prev_hash: str,
) -> str:
    body = {
        "seq": int(seq),
        "at": _at_text(at),
        "actor_org": actor_org,
        "actor_user": actor_user,
        "actor_key": actor_key,
        "action": action,
        "resource_kind": resource_kind,
        "refs": refs,
        "detail": detail,
        "prev_hash": prev_hash,
    }
    canon = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canon.encode("utf-8")).hexdigest()


def _entry_hash(e: AuditEntry) -> str:
    return row_hash(
        seq=e.seq,
        at=e.at,
        actor_org=e.actor_org,
        actor_user=e.actor_user,
        actor_key=e.actor_key,
        action=e.action,
        resource_kind=e.resource_kind,
        refs=e.refs,
        detail=e.detail,
        prev_hash=e.prev_hash,
    )


def _lock_head(session: Session) -> AuditChainHead:
    """Take the chain lock and return the head row (created on first use)."""
    locked = session.execute(
        update(AuditChainHead).where(AuditChainHead.id == HEAD_ID).values(seq=AuditChainHead.seq)
    ).rowcount
    if not locked:  # the migration creates the head; this covers databases made otherwise
        try:
            with session.begin_nested():
                session.add(AuditChainHead(id=HEAD_ID, seq=0, hash=GENESIS))
        except IntegrityError:  # another writer created it first: take its lock instead
            pass
        session.execute(
            update(AuditChainHead)
            .where(AuditChainHead.id == HEAD_ID)
            .values(seq=AuditChainHead.seq)
        )
    q = select(AuditChainHead).where(AuditChainHead.id == HEAD_ID)
    if session.get_bind().dialect.name == "postgresql":
        q = q.with_for_update()
    return session.execute(q.execution_options(populate_existing=True)).scalar_one()


def record(
    session: Session,
    principal: Principal,
    action: str,
    resource: str,
    refs: Iterable[str | int] = (),
    detail: dict | None = None,
    now: datetime | None = None,
) -> AuditEntry:
    """Append one audit row in the caller's transaction (it commits with the caller's work)."""
    at = (now or datetime.now(UTC)).astimezone(UTC)
    head = _lock_head(session)
    ref_list = _jsonable([str(r) for r in refs])
    detail_obj = _jsonable(detail or {})
    seq = head.seq + 1
    entry = AuditEntry(
        seq=seq,
        at=at,
        actor_org=principal.org_id,
        actor_user=principal.user_id,
        actor_key=principal.key_id,
        action=action,
        resource_kind=resource,
        refs=ref_list,
        detail=detail_obj,
        prev_hash=head.hash,
    )
    entry.hash = _entry_hash(entry)
    session.add(entry)
    head.seq = seq
    head.hash = entry.hash
    session.flush()
    return entry


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    first_bad_seq: int | None = None
    reason: str | None = None


def verify(session: Session, batch: int = 5000) -> VerifyResult:
    """Walk the chain in seq order; report the first row that does not fit."""
    prev_hash = GENESIS
    expected = 1
    checked = 0
    last_seq = 0
    while True:
        rows: Sequence[AuditEntry] = session.scalars(
            select(AuditEntry)
            .where(AuditEntry.seq > last_seq)
            .order_by(AuditEntry.seq)
            .limit(batch)
        ).all()
        if not rows:
            break
        for e in rows:
            if e.seq != expected:
                reason = "row missing (deleted)" if e.seq > expected else "unexpected seq"
                return VerifyResult(False, checked, expected, reason)
            if e.prev_hash != prev_hash:
                return VerifyResult(False, checked, e.seq, "prev_hash does not match previous row")
            if _entry_hash(e) != e.hash:
                return VerifyResult(False, checked, e.seq, "row content changed (hash mismatch)")
            prev_hash = e.hash
            expected += 1
            checked += 1
            last_seq = e.seq
    head = session.get(AuditChainHead, HEAD_ID)
    head_seq = head.seq if head else 0
    head_hash = head.hash if head else GENESIS
    if head_seq != checked:
        return VerifyResult(False, checked, checked + 1, "rows missing at the end of the chain")
    if head_hash != prev_hash:
        return VerifyResult(False, checked, checked, "chain head hash does not match last row")
    return VerifyResult(True, checked)


def count(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(AuditEntry)) or 0)


def recent(
    session: Session, limit: int = 50, offset: int = 0, action: str | None = None
) -> tuple[list[AuditEntry], int]:
    q = select(AuditEntry)
    cq = select(func.count()).select_from(AuditEntry)
    if action:
        q = q.where(AuditEntry.action == action)
        cq = cq.where(AuditEntry.action == action)
    rows = session.scalars(q.order_by(AuditEntry.seq.desc()).limit(limit).offset(offset)).all()
    return list(rows), int(session.scalar(cq) or 0)
