"""Streaming a simulation into a running server: ``POST {url}/v1/events/{kind}`` in time order.

Each simulated day's tables are merged across kinds, sorted by event time and sent in batches
(consecutive events of one kind, at most ``batch_size``) when their simulated time is due:
wall time = start + (event_time − first event time) / speed. With ``--speed 3600`` one simulated
hour passes per second. If the server or the network is slower than the schedule the stream
falls behind and sends as fast as it can; the lag is reported.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import httpx
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc


@dataclass
class StreamStats:
    batches: int = 0
    events: int = 0
    failed_batches: int = 0
    rejected: int = 0  # rows the server refused (its IngestOut.rejected)
    max_lag_s: float = 0.0
    per_kind: dict[str, int] = field(default_factory=dict)


def table_to_json_rows(table: pa.Table) -> list[dict]:
    """Rows as JSON-ready dicts (event_time as ISO 8601 with a Z)."""
    # %S on a microsecond timestamp prints fractional seconds (e.g. 10.268869)
    iso = pc.strftime(table["event_time"], format="%Y-%m-%dT%H:%M:%SZ")
    rows = table.drop_columns(["event_time"]).to_pylist()
    for r, t in zip(rows, iso.to_pylist(), strict=True):
        r["event_time"] = t
    return rows


def batches_in_time_order(
    tables: list[tuple[str, pa.Table]], batch_size: int
) -> Iterator[tuple[str, int, pa.Table]]:
    """Merge (kind, table) pairs by event time; yield (kind, first time in µs, batch)."""
    if not tables:
        return
    kinds = [k for k, _ in tables]
    times = [t["event_time"].cast(pa.int64()).to_numpy(zero_copy_only=False) for _, t in tables]
    which = np.concatenate([np.full(len(x), i) for i, x in enumerate(times)])
    pos = np.concatenate([np.arange(len(x)) for x in times])
    allt = np.concatenate(times)
    order = np.lexsort((pos, which, allt))
    which, pos, allt = which[order], pos[order], allt[order]
    cut = np.flatnonzero(np.diff(which)) + 1
    starts = np.concatenate([[0], cut])
    ends = np.concatenate([cut, [len(which)]])
    for s, e in zip(starts, ends, strict=True):
        i = int(which[s])
        for b in range(s, e, batch_size):
            sel = pos[b : min(e, b + batch_size)]
            yield kinds[i], int(allt[b]), tables[i][1].take(pa.array(sel))


class Streamer:
    """Paces batches against a wall clock and posts them; usable as the sim's per-day consumer."""

    def __init__(
        self,
        url: str,
        speed: float,
        api_key: str | None = None,
        batch_size: int = 500,
        client: httpx.Client | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        retries: int = 3,
    ) -> None:
        self.url = url.rstrip("/")
        self.speed = speed
        self.batch_size = batch_size
        headers = {"X-API-Key": api_key} if api_key else {}
        self.client = client or httpx.Client(timeout=30.0, headers=headers)
        if client is not None and api_key:
            self.client.headers.update(headers)
        self.sleep = sleep
        self.clock = clock
        self.retries = retries
        self.sim0: int | None = None
        self.wall0 = 0.0
        self.stats = StreamStats()
        self._day: list[tuple[str, pa.Table]] = []

    def collect(self, kind: str, table: pa.Table) -> None:
        self._day.append((kind, table))

    def flush(self, *_: object) -> None:
        """Send everything collected (one simulated day) in time order, paced."""
        tables, self._day = self._day, []
        for kind, t_us, batch in batches_in_time_order(tables, self.batch_size):
            if self.sim0 is None:
                self.sim0 = t_us
                self.wall0 = self.clock()
            due = self.wall0 + (t_us - self.sim0) / 1e6 / self.speed
            now = self.clock()
            if due > now:
                self.sleep(due - now)
            else:
                self.stats.max_lag_s = max(self.stats.max_lag_s, now - due)
            self.post(kind, batch)

    def post(self, kind: str, batch: pa.Table) -> None:
        body = {"events": table_to_json_rows(batch)}
        for attempt in range(self.retries):
            try:
                r = self.client.post(f"{self.url}/v1/events/{kind}", json=body)
                if r.status_code < 500:
                    break
            except httpx.TransportError:
                r = None
            self.sleep(0.5 * 2**attempt)
        ok = r is not None and r.status_code < 300
        self.stats.batches += 1
        if ok:
            with contextlib.suppress(ValueError, AttributeError):
                self.stats.rejected += int(r.json().get("rejected", 0))
            self.stats.events += batch.num_rows
            self.stats.per_kind[kind] = self.stats.per_kind.get(kind, 0) + batch.num_rows
        else:
            self.stats.failed_batches += 1
