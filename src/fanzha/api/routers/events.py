"""``/v1/events/{kind}``: submit batches (POST) and read back one's own submissions (GET, masked);
``/v1/deadletters``: one's rejected records."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Depends, Path, Query
from pydantic import BaseModel, Field

from fanzha.access.scope import sees_everything, source_org_sql
from fanzha.api.deps import AuditorDep, PrincipalDep, SessionDep
from fanzha.api.errors import ProblemError
from fanzha.api.pagination import Page, PageParams, page_params
from fanzha.domain.events import EVENT_TYPES, arrow_schema

router = APIRouter(prefix="/v1", tags=["events"])

MAX_BATCH = 10_000
KindPath = Path(..., description="事件类型", pattern="^(" + "|".join(EVENT_TYPES) + ")$")


class EventBatch(BaseModel):
    events: list[dict[str, Any]] = Field(..., max_length=MAX_BATCH)


class RowError(BaseModel):
    row: int | None
    field: str
    reason: str


class IngestOut(BaseModel):
    batch_id: str
    kind: str
    accepted: int
    duplicate: int
    rejected: int
    ignored_columns: list[str]
    errors: list[RowError]


class DeadLetterOut(BaseModel):
    id: int
    batch_id: str
    kind: str
    source_org: str
    row_number: int
    raw: dict
    errors: list
    status: str
    created_at: datetime
    replayed_at: datetime | None


def _mask(expr: str) -> str:
    return (
        f"CASE WHEN {expr} IS NULL THEN NULL WHEN length({expr}) > 7 THEN "
        f"left({expr}, 3) || repeat('*', length({expr}) - 7) || right({expr}, 4) "
        f"ELSE repeat('*', length({expr})) END"
    )


@router.post("/events/{kind}", response_model=IngestOut)
def submit_events(body: EventBatch, principal: PrincipalDep, kind: str = KindPath) -> IngestOut:
    """提交一批事件 (最多 10000 条)。按 (source_org, event_id) 幂等；拒收的记录进入死信库。"""
    from fanzha.ingest.service import ingest_records

    if not body.events:
        raise ProblemError(
            422, "events 不能为空", [{"row": None, "field": "events", "reason": "empty"}]
        )
    report = ingest_records(kind, body.events, principal)
    # Rows are numbered from 0 like the request's array indexes.
    errors = [
        RowError(
            row=(e["row"] - 1) if isinstance(e.get("row"), int) else None,
            field=e["field"],
            reason=e["reason"],
        )
        for e in report.errors
    ]
    return IngestOut(
        batch_id=report.batch_id,
        kind=kind,
        accepted=report.accepted,
        duplicate=report.duplicate,
        rejected=report.rejected,
        ignored_columns=report.ignored_columns,
        errors=errors,
    )


@router.get("/events/{kind}", response_model=Page[dict[str, Any]])
def read_events(
    principal: PrincipalDep,
    auditor: AuditorDep,
    kind: str = KindPath,
    page: PageParams = Depends(page_params),
) -> Page[dict[str, Any]]:
    """读取本机构提交的事件 (个人信息已脱敏)。"""
    import duckdb

    from fanzha.ingest.fields import PERSONAL_FIELDS
    from fanzha.settings import get_settings
    from fanzha.store.lake import EventLake

    lake = EventLake(get_settings().lake_dir)
    personal = set(PERSONAL_FIELDS.get(kind, ()))
    cols = [
        f"{_mask(f.name)} AS {f.name}" if f.name in personal else f.name for f in arrow_schema(kind)
    ]
    where = source_org_sql(principal)
    con = duckdb.connect()
    try:
        con.execute("SET TimeZone='UTC'")
        rel = lake.relation_sql(kind)
        total = con.sql(f"SELECT count(*) FROM {rel} WHERE {where}").fetchall()[0][0]
        rows = (
            con.sql(
                f"SELECT {', '.join(cols)} FROM {rel} WHERE {where} "
                f"ORDER BY event_time, event_id LIMIT {page.limit} OFFSET {page.offset}"
            )
            .to_arrow_table()
            .to_pylist()
        )
    finally:
        con.close()
    auditor.record(
        "events.read",
        f"event:{kind}",
        [r["event_id"] for r in rows][:500],
        {"count": len(rows), "offset": page.offset},
    )
    return Page[dict[str, Any]].build(rows, int(total), page)


@router.get("/deadletters", response_model=Page[DeadLetterOut])
def read_deadletters(
    principal: PrincipalDep,
    session: SessionDep,
    auditor: AuditorDep,
    page: PageParams = Depends(page_params),
    kind: str | None = Query(None, pattern="^(" + "|".join(EVENT_TYPES) + ")$"),
    status: str | None = Query("open", pattern="^(open|replayed)$"),
) -> Page[DeadLetterOut]:
    """本机构被拒收的记录。"""
    from fanzha.ingest import deadletters

    org = None if sees_everything(principal) else principal.org_id
    rows, total = deadletters.query(
        session, kind=kind, status=status, source_org=org, limit=page.limit, offset=page.offset
    )
    auditor.record("deadletters.read", "dead_letter", [d.id for d in rows], {"count": len(rows)})
    items = [
        DeadLetterOut(
            id=d.id,
            batch_id=d.batch_id,
            kind=d.kind,
            source_org=d.source_org,
            row_number=d.row_number,
            raw=d.raw,
            errors=d.errors,
            status=d.status,
            created_at=d.created_at,
            replayed_at=d.replayed_at,
        )
        for d in rows
    ]
    return Page[DeadLetterOut].build(items, total, page)
