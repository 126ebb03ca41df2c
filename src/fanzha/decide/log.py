"""Append-only decision log: one JSON line per decision, written in batches by a background thread.

The hot path only appends a dict to a deque; a writer thread serialises (orjson) and appends every
``flush_interval`` seconds, so neither disk I/O nor serialisation sits inside a check. Each process
writes its own file (``decisions-<day>-<pid>.jsonl``), so several workers never interleave lines.
Inputs are logged as keyed-hash prefixes only.
"""

from __future__ import annotations

import json
import os
import threading
from collections import deque
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson


class DecisionLog:
    """Batched JSONL writer. ``write`` is a lock-free ``deque.append``: the writer thread is never
    woken per record (waking it costs a GIL hand-off on every check); it wakes on its own every
    ``flush_interval`` seconds, or when :meth:`flush` asks."""

    def __init__(self, directory: Path, flush_interval: float = 0.2) -> None:
        self.dir = Path(directory)
        self.dir.mkdir(parents=True, exist_ok=True)
        self.flush_interval = flush_interval
        self._buf: deque[dict[str, Any]] = deque()
        self._wake = threading.Event()
        self._done = threading.Event()
        self._stop = False
        self._thread = threading.Thread(target=self._run, name="decision-log", daemon=True)
        self._thread.start()

    def write(self, record: dict[str, Any]) -> None:
        self._buf.append(record)

    def path_for(self, when: datetime) -> Path:
        return self.dir / f"decisions-{when:%Y%m%d}-{os.getpid()}.jsonl"

    def _drain(self) -> None:
        buf = self._buf
        n = len(buf)
        if not n:
            return
        pop, dumps = buf.popleft, orjson.dumps
        lines = b"".join([dumps(pop()) + b"\n" for _ in range(n)])
        with open(self.path_for(datetime.now(UTC)), "ab") as fh:
            fh.write(lines)

    def _run(self) -> None:
        while True:
            self._wake.wait(self.flush_interval)
            self._wake.clear()
            self._drain()
            self._done.set()
            if self._stop:
                return

    def flush(self, timeout: float = 5.0) -> bool:
        """Write everything logged so far now (tests, shutdown)."""
        self._done.clear()
        self._wake.set()
        return self._done.wait(timeout)

    def close(self) -> None:
        self._stop = True
        self._wake.set()
        self._thread.join(timeout=5)
        self._drain()


def read_decisions(directory: Path) -> Iterator[dict[str, Any]]:
    for path in sorted(Path(directory).glob("decisions-*.jsonl")):
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    yield json.loads(line)


def shadow_report(directory: Path) -> dict[str, Any]:
    """Compare live and shadow outcomes over the logged decisions."""
    total = with_shadow = differ = 0
    pairs: dict[str, int] = {}
    only_shadow: dict[str, int] = {}
    only_live: dict[str, int] = {}
    versions: set[str] = set()
    for d in read_decisions(directory):
        total += 1
        sh = d.get("shadow")
        if not sh:
            continue
        with_shadow += 1
        versions.add(f"{d.get('version')} vs {sh.get('version')}")
        live_rules, shadow_rules = set(d.get("rules", [])), set(sh.get("rules", []))
        if d.get("outcome") != sh.get("outcome") or live_rules != shadow_rules:
            differ += 1
            key = f"{d.get('outcome')} → {sh.get('outcome')}"
            pairs[key] = pairs.get(key, 0) + 1
            for r in shadow_rules - live_rules:
                only_shadow[r] = only_shadow.get(r, 0) + 1
            for r in live_rules - shadow_rules:
                only_live[r] = only_live.get(r, 0) + 1
    return {
        "decisions": total,
        "with_shadow": with_shadow,
        "differences": differ,
        "versions": sorted(versions),
        "outcome_changes": dict(sorted(pairs.items(), key=lambda kv: -kv[1])),
        "rules_only_in_shadow": only_shadow,
        "rules_only_in_live": only_live,
    }
