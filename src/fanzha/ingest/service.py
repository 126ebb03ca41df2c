"""Ingestion: read → validate (vectorised) → normalise identifiers → drop duplicates → append to
the lake; rejected records go to the dead-letter store. Files and API batches share this path."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from fanzha.access import audit
from fanzha.access.principal import PLATFORM_OPERATOR, Principal
from fanzha.domain.events import event_type
from fanzha.ingest import deadletters, readers
from fanzha.ingest.idindex import IdIndex, kind_lock
from fanzha.ingest.memory import reuse_memory
from fanzha.ingest.normalise import NormCache, normalise_identifiers
from fanzha.ingest.validate import plan_columns, validate_batch
from fanzha.settings import get_settings
from fanzha.store.db import session_scope
from fanzha.store.lake import EventLake

DEFAULT_TZ = "Asia/Shanghai"
BATCH_ROWS = 1_000_000
MAX_REPORTED_ERRORS = 100


def default_tz() -> str:
    return os.environ.get("FANZHA_TIMEZONE", DEFAULT_TZ)


@dataclass
class IngestReport:
    batch_id: str
    kind: str
    accepted: int = 0
    duplicate: int = 0
    rejected: int = 0
    ignored_columns: list[str] = field(default_factory=list)
    errors: list[dict] = field(
        default_factory=list
    )  # first MAX_REPORTED_ERRORS {row, field, reason}
    sources: list[str] = field(default_factory=list)
    accepted_rows: list[int] = field(default_factory=list, repr=False)  # only when asked
    rejected_rows: dict[int, list[dict]] = field(default_factory=dict, repr=False)

    def as_dict(self) -> dict:
        return {
            "batch_id": self.batch_id,
            "kind": self.kind,
            "accepted": self.accepted,
            "duplicate": self.duplicate,
            "rejected": self.rejected,
            "ignored_columns": self.ignored_columns,
            "errors": self.errors,
        }


Progress = Callable[[int], None]


class Ingestor:
    """One run for one kind: holds the kind lock, the id index and a DuckDB connection."""

    def __init__(
        self,
        kind: str,
        *,
        lake: EventLake | None = None,
        tz: str | None = None,
        batch_id: str | None = None,
        write_dead_letters: bool = True,
        keep_row_outcomes: bool = False,
        now: datetime | None = None,
        threads: int | None = None,
    ) -> None:
        event_type(kind)
        self.kind = kind
        self.lake = lake or EventLake(get_settings().lake_dir)
        self.tz = tz or default_tz()
        self.report = IngestReport(batch_id or uuid.uuid4().hex, kind)
        self.write_dead_letters = write_dead_letters
        self.keep = keep_row_outcomes
        self.now = now or datetime.now(UTC)
        self.con = duckdb.connect(config={"threads": threads} if threads else {})
        self.con.execute("SET TimeZone='UTC'")
        self.index: IdIndex | None = None
        self.norm_cache = NormCache()

    def __enter__(self) -> Ingestor:
        self._lock = kind_lock(self.lake, self.kind)
        self._lock.__enter__()
        self.index = IdIndex(self.con, self.lake, self.kind)
        return self

    def __exit__(self, *exc: object) -> None:
        self._lock.__exit__(*exc)
        self.con.close()

    def _note_errors(self, rows: list[int], errs: list[list[dict]]) -> None:
        for r, e in zip(rows, errs, strict=True):
            if self.keep:
                self.report.rejected_rows[r] = e
            room = MAX_REPORTED_ERRORS - len(self.report.errors)
            if room > 0:
                self.report.errors.extend(e[:room])

    def process(
        self,
        raw: pa.Table,
        source: str,
        *,
        forced_org: str | None = None,
        default_org: str | None = None,
        pre_rejects: Iterable[tuple[int, str]] = (),
    ) -> None:
        """Validate and commit one batch of raw records (must contain ``_row``)."""
        assert self.index is not None, "use Ingestor as a context manager"
        _, _, ignored = plan_columns(self.kind, raw.column_names)
        for col in ignored:
            if not col.startswith("_") and col not in self.report.ignored_columns:
                self.report.ignored_columns.append(col)
        checked = validate_batch(
            self.con, self.kind, raw, self.tz, forced_org=forced_org, default_org=default_org
        )
        rejects: list[tuple[int, dict, list[dict]]] = [
            (r, {}, [{"row": r, "field": "-", "reason": why}]) for r, why in pre_rejects
        ]
        rejects += list(
            zip(checked.rejected_rows, checked.rejected_raw, checked.rejected_errors, strict=True)
        )
        accepted, reasons = normalise_identifiers(self.kind, checked.accepted, self.norm_cache)
        if reasons:
            bad_mask = None
            for col in reasons.values():
                m = pc.is_valid(col)
                bad_mask = m if bad_mask is None else pc.or_(bad_mask, m)
            bad = accepted.filter(bad_mask)
            bad_rows = bad["_row"].to_pylist()
            per_field = {f: pc.filter(c, bad_mask).to_pylist() for f, c in reasons.items()}
            raw_bad = raw.filter(pc.is_in(raw["_row"], value_set=bad["_row"]))
            raw_by_row = {r.pop("_row"): r for r in raw_bad.to_pylist()}
            for i, r in enumerate(bad_rows):
                errs = [
                    {"row": r, "field": f, "reason": vals[i]}
                    for f, vals in per_field.items()
                    if vals[i] is not None
                ]
                rejects.append((r, raw_by_row.get(r, {}), errs))
            accepted = accepted.filter(pc.invert(bad_mask))
        fresh = self.index.fresh(accepted)
        if fresh.num_rows:
            self.lake.append(self.kind, fresh.drop(["_row"]), on_part=self.index.write_sidecar)
            self.index.add(fresh)
        self.report.accepted += fresh.num_rows
        self.report.duplicate += accepted.num_rows - fresh.num_rows
        if self.keep:
            self.report.accepted_rows.extend(sorted(accepted["_row"].to_pylist()))
        rejects.sort(key=lambda x: x[0])
        self.report.rejected += len(rejects)
        self._note_errors([r for r, _, _ in rejects], [e for _, _, e in rejects])
        if rejects and self.write_dead_letters:
            org = forced_org or default_org or "unknown"
            with session_scope() as s:
                deadletters.store(
                    s, self.report.batch_id, self.kind, source, org, rejects, self.now
                )


def _file_batches(
    path: Path, batch_rows: int
) -> Iterator[tuple[pa.Table, list[tuple[int, str]], int]]:
    """(raw table, pre-rejected rows, bytes read so far) per batch."""
    fmt = readers.detect_format(path)
    size = path.stat().st_size
    if fmt == "parquet":
        total = 0
        import pyarrow.parquet as pq

        n = max(pq.ParquetFile(path).metadata.num_rows, 1)
        for t in readers.read_parquet(path, batch_rows):
            total += t.num_rows
            yield t, [], int(size * total / n)
    elif fmt == "jsonl":
        total = 0
        for t, bad in readers.read_jsonl(path, batch_rows):
            total += t.num_rows + len(bad)
            yield t, bad, min(size, int(size * total / max(total, 1)))
    else:
        done = 0
        for t in readers.read_csv(path, batch_rows):
            done += t.nbytes
            yield t, [], min(done, size)


def ingest_files(
    kind: str,
    paths: list[Path],
    *,
    org: str | None = None,
    principal: Principal = PLATFORM_OPERATOR,
    tz: str | None = None,
    batch_rows: int = BATCH_ROWS,
    progress: Progress | None = None,
    now: datetime | None = None,
    lake: EventLake | None = None,
    threads: int | None = None,
) -> IngestReport:
    """Ingest files of one kind. ``org`` fills ``source_org`` where the file has none."""
    now = now or datetime.now(UTC)
    with reuse_memory(), Ingestor(kind, lake=lake, tz=tz, now=now, threads=threads) as ing:
        for path in paths:
            path = Path(path)
            ing.report.sources.append(str(path))
            last = 0
            for raw, pre, pos in _file_batches(path, batch_rows):
                ing.process(raw, str(path), default_org=org, pre_rejects=pre)
                if progress:
                    progress(pos - last)
                last = pos
    _audit_ingest(principal, ing.report, now)
    return ing.report


def ingest_records(
    kind: str,
    records: list,
    principal: Principal,
    *,
    tz: str | None = None,
    now: datetime | None = None,
    lake: EventLake | None = None,
    keep_row_outcomes: bool = False,
) -> IngestReport:
    """Ingest an API batch: every record belongs to the caller's organisation."""
    now = now or datetime.now(UTC)
    raw, bad = readers.records_to_table(records, start=1)
    forced = None if principal.is_platform else principal.org_id
    default = principal.org_id
    with Ingestor(kind, lake=lake, tz=tz, now=now, keep_row_outcomes=keep_row_outcomes) as ing:
        ing.report.sources.append("api")
        ing.process(
            raw, f"api:{principal.label}", forced_org=forced, default_org=default, pre_rejects=bad
        )
    _audit_ingest(principal, ing.report, now)
    return ing.report


def _audit_ingest(principal: Principal, report: IngestReport, now: datetime) -> None:
    with session_scope() as s:
        audit.record(
            s,
            principal,
            "events.ingest",
            f"event:{report.kind}",
            [report.batch_id],
            {
                "accepted": report.accepted,
                "duplicate": report.duplicate,
                "rejected": report.rejected,
                "sources": [Path(x).name for x in report.sources],
            },
            now,
        )


@dataclass
class ReplayReport:
    replayed: int = 0
    still_failing: int = 0
    duplicate: int = 0


def replay(
    *,
    ids: list[int] | None = None,
    batch_id: str | None = None,
    kind: str | None = None,
    corrected: list[dict] | None = None,
    principal: Principal = PLATFORM_OPERATOR,
    tz: str | None = None,
    now: datetime | None = None,
    lake: EventLake | None = None,
) -> ReplayReport:
    """Re-validate open dead letters (as stored, or as ``corrected`` rows carrying
    ``_dead_letter_id``). Successes are marked replayed; failures stay open with new errors."""
    now = now or datetime.now(UTC)
    out = ReplayReport()
    with session_scope() as s:
        if corrected is not None:
            by_id = {int(r["_dead_letter_id"]): r for r in corrected if "_dead_letter_id" in r}
            letters, _ = deadletters.query(s, ids=list(by_id) or [-1])
            rows = {
                d.id: {k: v for k, v in by_id[d.id].items() if not k.startswith("_")}
                for d in letters
            }
        else:
            letters, _ = deadletters.query(s, ids=ids, batch_id=batch_id, kind=kind)
            rows = {d.id: dict(d.raw) for d in letters}
        groups: dict[tuple[str, str], list] = {}
        for d in letters:
            groups.setdefault((d.kind, d.source_org), []).append(d)
        for (k, org), group in groups.items():
            records = [rows[d.id] for d in group]
            raw, _bad = readers.records_to_table(records, start=1)
            with Ingestor(
                k, lake=lake, tz=tz, now=now, write_dead_letters=False, keep_row_outcomes=True
            ) as ing:
                ing.process(raw, "replay", default_org=org)
            for i, d in enumerate(group, start=1):
                if i in ing.report.rejected_rows:
                    d.errors = ing.report.rejected_rows[i]
                    d.raw = rows[d.id]
                    out.still_failing += 1
                else:
                    d.status = deadletters.REPLAYED
                    d.replayed_at = now
                    d.raw = rows[d.id]
                    out.replayed += 1
            out.duplicate += ing.report.duplicate
        audit.record(
            s,
            principal,
            "deadletters.replay",
            "dead_letter",
            [d.id for d in letters][:1000],
            {"replayed": out.replayed, "still_failing": out.still_failing},
            now,
        )
    return out
