"""Registry services: list, grade, review, lift, expire, appeal. Every change appends an entry event.

Scope rule: a reporting organisation is recorded only in the event history; partners and the public
see grade, type, reason and status but never *who* reported (:func:`entry_view`). Raw values are
stored only when a police or platform principal lists an identifier under police authority.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from fanzha.access.principal import PLATFORM_OPERATOR, OrgKind, Principal
from fanzha.domain.clock import Clock, SystemClock
from fanzha.domain.limits import LIMITS, Limits
from fanzha.domain.taxonomy import FraudType, RiskLevel, SuspiciousCode
from fanzha.registry.index import pack
from fanzha.registry.keys import key_of, mask, normalise, parse_kind
from fanzha.registry.notices import APPEAL_CHANNELS, restriction_notice
from fanzha.store.tables.registry import RegistryAppeal, RegistryEntry, RegistryEntryEvent


class Source(StrEnum):
    DETECTOR = "detector"
    ANALYST = "analyst"
    PARTNER = "partner"
    PUBLIC = "public"


class Status(StrEnum):
    PENDING_REVIEW = "pending_review"  # public reports wait for an analyst
    ACTIVE = "active"
    APPEALING = "appealing"  # restriction stays until verification passes
    LIFTED = "lifted"
    EXPIRED = "expired"
    REJECTED = "rejected"  # a public report that review did not confirm


RESTRICTING = frozenset({Status.ACTIVE, Status.APPEALING})

# How long a listing lasts without a new report (practice; None = until lifted).
DEFAULT_TTL: dict[Source, timedelta | None] = {
    Source.DETECTOR: timedelta(days=90),
    Source.PARTNER: timedelta(days=365),
    Source.PUBLIC: timedelta(days=180),
    Source.ANALYST: None,
}


class RegistryError(ValueError):
    pass


class IndexSink:
    """What the service writes through to (MemoryIndex or RedisIndex)."""

    def put(self, key_hash: str, info: int) -> None: ...
    def remove(self, key_hash: str) -> None: ...


@dataclass
class ReportInput:
    kind: str
    value: str
    grade: RiskLevel
    source: Source
    reason: str
    fraud_type: FraudType | None = None
    code: SuspiciousCode | None = None
    evidence: dict | None = None
    police_authorised: bool = False


def _actor(p: Principal) -> str:
    return p.label


class RegistryService:
    def __init__(
        self,
        session: Session,
        secret: bytes,
        clock: Clock | None = None,
        index: IndexSink | None = None,
        limits: Limits = LIMITS,
    ) -> None:
        self.s = session
        self.secret = secret
        self.clock = clock or SystemClock()
        self.index = index
        self.limits = limits

    # ------------------------------------------------------------------ listing
    def key(self, kind: str, value: str) -> str:
        return key_of(kind, value, self.secret)

    def report(self, item: ReportInput, principal: Principal = PLATFORM_OPERATOR) -> RegistryEntry:
        kind = parse_kind(item.kind).value
        if not str(item.value).strip():
            raise RegistryError("value: empty identifier")
        if not item.reason.strip():
            raise RegistryError("reason: every listing needs a reason")
        source = Source(item.source)
        now = self.clock.now()
        key_hash = self.key(kind, item.value)
        raw = normalise(kind, item.value) if self._may_keep_raw(item, principal) else None
        ttl = DEFAULT_TTL[source]
        expires = now + ttl if ttl else None
        entry = self.s.scalar(select(RegistryEntry).where(RegistryEntry.key_hash == key_hash))
        new_status = Status.PENDING_REVIEW if source is Source.PUBLIC else Status.ACTIVE
        if entry is None:
            entry = RegistryEntry(
                kind=kind,
                key_hash=key_hash,
                masked=mask(kind, item.value),
                raw_value=raw,
                grade=int(item.grade),
                fraud_type=item.fraud_type.value if item.fraud_type else None,
                code=item.code.value if item.code else None,
                source=source.value,
                reason=item.reason.strip()[:500],
                evidence=[item.evidence] if item.evidence else [],
                status=new_status.value,
                report_count=1,
                first_seen=now,
                last_seen=now,
                expires_at=expires,
                updated_at=now,
            )
            self.s.add(entry)
            self.s.flush()
            action = "listed" if new_status is Status.ACTIVE else "reported"
        else:
            action = self._merge(entry, item, source, raw, now, expires)
        self._event(entry, action, principal, source, {"reason": item.reason[:200]})
        self._sync_index(entry)
        return entry

    def _may_keep_raw(self, item: ReportInput, principal: Principal) -> bool:
        police = principal.org_kind.is_police or principal.org_kind is OrgKind.PLATFORM
        return bool(item.police_authorised and police)

    def _merge(
        self,
        entry: RegistryEntry,
        item: ReportInput,
        source: Source,
        raw: str | None,
        now: datetime,
        expires: datetime | None,
    ) -> str:
        entry.report_count += 1
        entry.last_seen = now
        entry.updated_at = now
        if item.evidence:
            entry.evidence = [*entry.evidence, item.evidence][-50:]
        if raw and not entry.raw_value:
            entry.raw_value = raw
        status = Status(entry.status)
        if source is Source.PUBLIC and status not in RESTRICTING:
            entry.status = Status.PENDING_REVIEW.value
            return "reported"
        if source is Source.PUBLIC:
            return "reported"
        relisted = status not in RESTRICTING
        if relisted or item.grade >= entry.grade:
            entry.reason = item.reason.strip()[:500]
            entry.source = source.value
        entry.grade = int(item.grade) if relisted else max(entry.grade, int(item.grade))
        if item.fraud_type:
            entry.fraud_type = item.fraud_type.value
        if item.code and (entry.code is None or item.code is SuspiciousCode.CASE_ACCOUNT):
            entry.code = item.code.value
        if expires is None or (entry.expires_at is not None and expires > entry.expires_at):
            entry.expires_at = expires
        if relisted:
            entry.status = Status.ACTIVE.value
            return "relisted"
        return "updated"

    def review_report(
        self, entry_id: int, accept: bool, principal: Principal, note: str = ""
    ) -> RegistryEntry:
        """An analyst confirms or rejects a public report; only confirmed ones restrict anything."""
        entry = self.get(entry_id)
        if entry.status != Status.PENDING_REVIEW:
            raise RegistryError(f"entry {entry_id}: not waiting for review ({entry.status})")
        now = self.clock.now()
        entry.status = (Status.ACTIVE if accept else Status.REJECTED).value
        entry.updated_at = now
        if accept:
            entry.expires_at = now + DEFAULT_TTL[Source.PUBLIC]  # type: ignore[operator]
        self._event(
            entry,
            "review_accepted" if accept else "review_rejected",
            principal,
            None,
            {"note": note},
        )
        self._sync_index(entry)
        return entry

    def lift(self, entry_id: int, principal: Principal, reason: str) -> RegistryEntry:
        entry = self.get(entry_id)
        if entry.status not in RESTRICTING and entry.status != Status.PENDING_REVIEW:
            raise RegistryError(f"entry {entry_id}: nothing to lift ({entry.status})")
        now = self.clock.now()
        entry.status = Status.LIFTED.value
        entry.updated_at = now
        self._event(entry, "lifted", principal, None, {"reason": reason})
        self._sync_index(entry)
        return entry

    def expire_due(self) -> int:
        now = self.clock.now()
        rows = self.s.scalars(
            select(RegistryEntry).where(
                RegistryEntry.status.in_(
                    [s.value for s in RESTRICTING] + [Status.PENDING_REVIEW.value]
                ),
                RegistryEntry.expires_at.is_not(None),
                RegistryEntry.expires_at <= now,
            )
        ).all()
        for entry in rows:
            if entry.status == Status.APPEALING:
                continue  # an open appeal decides it
            entry.status = Status.EXPIRED.value
            entry.updated_at = now
            self._event(entry, "expired", PLATFORM_OPERATOR, None, {})
            self._sync_index(entry)
        return len([r for r in rows if r.status == Status.EXPIRED])

    # ------------------------------------------------------------------ reads
    def get(self, entry_id: int) -> RegistryEntry:
        entry = self.s.get(RegistryEntry, entry_id)
        if entry is None:
            raise RegistryError(f"entry {entry_id}: not found")
        return entry

    def find(self, kind: str, value: str) -> RegistryEntry | None:
        return self.s.scalar(
            select(RegistryEntry).where(RegistryEntry.key_hash == self.key(kind, value))
        )

    def search(
        self,
        kind: str | None = None,
        status: str | None = None,
        min_grade: int | None = None,
        value: str | None = None,
        limit: int = 50,
    ) -> list[RegistryEntry]:
        q = select(RegistryEntry).order_by(RegistryEntry.id.desc()).limit(limit)
        if value is not None:
            if kind is None:
                raise RegistryError("kind: needed to search by value")
            q = q.where(RegistryEntry.key_hash == self.key(kind, value))
        if kind:
            q = q.where(RegistryEntry.kind == parse_kind(kind).value)
        if status:
            q = q.where(RegistryEntry.status == Status(status).value)
        if min_grade is not None:
            q = q.where(RegistryEntry.grade >= min_grade)
        return list(self.s.scalars(q))

    def history(self, entry_id: int) -> list[RegistryEntryEvent]:
        self.get(entry_id)
        q = select(RegistryEntryEvent).where(RegistryEntryEvent.entry_id == entry_id)
        return list(self.s.scalars(q.order_by(RegistryEntryEvent.id)))

    def counts(self) -> dict[str, int]:
        q = select(RegistryEntry.status, func.count()).group_by(RegistryEntry.status)
        return {s: int(n) for s, n in self.s.execute(q)}

    def active_index_rows(self, batch: int = 50_000):  # noqa: ANN201 - generator of (hash, info)
        q = (
            select(
                RegistryEntry.key_hash,
                RegistryEntry.grade,
                RegistryEntry.fraud_type,
                RegistryEntry.code,
            )
            .where(RegistryEntry.status.in_([s.value for s in RESTRICTING]))
            .execution_options(yield_per=batch)
        )
        for h, g, ft, cd in self.s.execute(q):
            yield h, pack(g, ft, cd)

    # ------------------------------------------------------------------ appeals
    def submit_appeal(
        self,
        entry_id: int,
        statement: str,
        channel: str = "counter",
        documents: list[str] | None = None,
        applicant: str | None = None,
        principal: Principal = PLATFORM_OPERATOR,
    ) -> RegistryAppeal:
        entry = self.get(entry_id)
        if entry.status not in RESTRICTING:
            raise RegistryError(f"entry {entry_id}: no restriction to appeal ({entry.status})")
        if channel not in APPEAL_CHANNELS:
            raise RegistryError(f"channel: expected one of {', '.join(APPEAL_CHANNELS)}")
        if not statement.strip():
            raise RegistryError("statement: an appeal needs the applicant's statement")
        open_ = self.s.scalar(
            select(RegistryAppeal).where(
                RegistryAppeal.entry_id == entry_id, RegistryAppeal.status == "submitted"
            )
        )
        if open_ is not None:
            raise RegistryError(f"entry {entry_id}: appeal {open_.id} is already open")
        now = self.clock.now()
        appeal = RegistryAppeal(
            entry_id=entry_id,
            status="submitted",
            channel=channel,
            applicant=applicant,
            statement=statement.strip()[:2000],
            documents=list(documents or []),
            submitted_at=now,
            reverify_due_at=now + self.limits.reverify_deadline,
            review_due_at=now + self.limits.appeal_review_deadline,
        )
        self.s.add(appeal)
        entry.status = Status.APPEALING.value
        entry.updated_at = now
        self.s.flush()
        self._event(
            entry, "appeal_submitted", principal, None, {"appeal_id": appeal.id, "channel": channel}
        )
        return appeal

    def review_appeal(
        self,
        appeal_id: int,
        verification_passed: bool,
        principal: Principal,
        note: str = "",
    ) -> RegistryAppeal:
        """Passed verification lifts the entry at once; otherwise the listing is upheld."""
        appeal = self.s.get(RegistryAppeal, appeal_id)
        if appeal is None:
            raise RegistryError(f"appeal {appeal_id}: not found")
        if appeal.status != "submitted":
            raise RegistryError(f"appeal {appeal_id}: already decided ({appeal.status})")
        now = self.clock.now()
        entry = self.get(appeal.entry_id)
        appeal.decided_at = now
        appeal.decided_by = _actor(principal)
        appeal.decision_note = note[:2000] or None
        detail = {"appeal_id": appeal.id, "late": now > appeal.review_due_at, "note": note[:200]}
        if verification_passed:
            appeal.status = "lifted"
            entry.status = Status.LIFTED.value
            action = "appeal_lifted"
        else:
            appeal.status = "upheld"
            entry.status = Status.ACTIVE.value
            action = "appeal_upheld"
        entry.updated_at = now
        self._event(entry, action, principal, None, detail)
        self._sync_index(entry)
        return appeal

    def appeals(self, status: str | None = None, limit: int = 100) -> list[RegistryAppeal]:
        q = select(RegistryAppeal).order_by(RegistryAppeal.id.desc()).limit(limit)
        if status:
            q = q.where(RegistryAppeal.status == status)
        return list(self.s.scalars(q))

    def overdue_appeals(self) -> list[RegistryAppeal]:
        now = self.clock.now()
        q = select(RegistryAppeal).where(
            RegistryAppeal.status == "submitted", RegistryAppeal.review_due_at < now
        )
        return list(self.s.scalars(q.order_by(RegistryAppeal.review_due_at)))

    def reverify_overdue(self) -> list[RegistryAppeal]:
        """Appeals whose identity re-verification was not done within the 24 h limit."""
        now = self.clock.now()
        q = select(RegistryAppeal).where(
            RegistryAppeal.status == "submitted", RegistryAppeal.reverify_due_at < now
        )
        return list(self.s.scalars(q.order_by(RegistryAppeal.reverify_due_at)))

    # ------------------------------------------------------------------ internals
    def _event(
        self,
        entry: RegistryEntry,
        action: str,
        principal: Principal,
        source: Source | None,
        detail: dict,
    ) -> None:
        self.s.add(
            RegistryEntryEvent(
                entry_id=entry.id,
                at=self.clock.now(),
                action=action,
                source=source.value if source else None,
                actor_org=principal.org_id,
                actor=_actor(principal),
                status_after=entry.status,
                grade_after=entry.grade,
                detail=detail,
            )
        )
        self.s.flush()

    def _sync_index(self, entry: RegistryEntry) -> None:
        if self.index is None:
            return
        if entry.status in RESTRICTING:
            self.index.put(entry.key_hash, pack(entry.grade, entry.fraud_type, entry.code))
        else:
            self.index.remove(entry.key_hash)


def can_see_sources(principal: Principal) -> bool:
    return principal.is_platform or principal.org_kind.is_police


def entry_view(entry: RegistryEntry, principal: Principal) -> dict[str, object]:
    """An entry as ``principal`` may see it: partners never learn the reporting organisation."""
    out: dict[str, object] = {
        "id": entry.id,
        "kind": entry.kind,
        "masked": entry.masked,
        "grade": entry.grade,
        "grade_label": RiskLevel(entry.grade).label,
        "fraud_type": entry.fraud_type,
        "code": entry.code,
        "code_label": SuspiciousCode(entry.code).label if entry.code else None,
        "status": entry.status,
        "reason": entry.reason,
        "first_seen": entry.first_seen.isoformat(),
        "last_seen": entry.last_seen.isoformat(),
        "expires_at": entry.expires_at.isoformat() if entry.expires_at else None,
        "report_count": entry.report_count,
        "notice": restriction_notice(entry.kind, entry.reason),
    }
    if can_see_sources(principal):
        out["source"] = entry.source
        out["evidence"] = entry.evidence
        if entry.raw_value and (principal.org_kind.is_police or principal.is_platform):
            out["value"] = entry.raw_value
    return out


def event_view(ev: RegistryEntryEvent, principal: Principal) -> dict[str, object]:
    out: dict[str, object] = {
        "at": ev.at.isoformat(),
        "action": ev.action,
        "status_after": ev.status_after,
        "grade_after": ev.grade_after,
    }
    if can_see_sources(principal):
        out.update(source=ev.source, actor_org=ev.actor_org, actor=ev.actor, detail=ev.detail)
    return out
