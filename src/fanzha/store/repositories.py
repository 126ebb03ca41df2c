"""Repositories for foundation tables. Rooms keep their own repositories beside their tables."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from fanzha.store.tables.jobs import JobRun


class JobRunRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def start(self, kind: str, now: datetime, params: dict | None = None) -> JobRun:
        run = JobRun(kind=kind, status="running", started_at=now, params=params or {}, counts={})
        self.session.add(run)
        self.session.flush()
        return run

    def finish(self, run: JobRun, now: datetime, counts: dict, error: str | None = None) -> JobRun:
        run.finished_at = now
        run.counts = counts
        run.status = "failed" if error else "done"
        run.error = error[:2000] if error else None
        self.session.flush()
        return run

    def recent(self, kind: str | None = None, limit: int = 20) -> list[JobRun]:
        q = select(JobRun).order_by(JobRun.id.desc()).limit(limit)
        if kind:
            q = q.where(JobRun.kind == kind)
        return list(self.session.scalars(q))
