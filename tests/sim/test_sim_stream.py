"""Streaming: batches in simulated-time order, paced by the speed-up, posted to a live server."""

from __future__ import annotations

import json
import threading
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import numpy as np
import pyarrow as pa
import pytest

from fanzha.domain.events import EVENT_TYPES, arrow_schema
from fanzha.sim.engine import SimConfig, simulate
from fanzha.sim.stream import Streamer, batches_in_time_order


class _Recorder(BaseHTTPRequestHandler):
    received: list = []

    def do_POST(self):  # noqa: N802
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        kind = self.path.rsplit("/", 1)[-1]
        type(self).received.append((self.path, self.headers.get("X-API-Key"), kind, body))
        self.send_response(202)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(json.dumps({"accepted": len(body["events"])}).encode())

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    _Recorder.received = []
    srv = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    th = threading.Thread(target=srv.serve_forever, daemon=True)
    th.start()
    yield f"http://127.0.0.1:{srv.server_address[1]}", _Recorder.received
    srv.shutdown()
    srv.server_close()


def _table(kind: str, times_s: list[int]) -> pa.Table:
    schema = arrow_schema(kind)
    n = len(times_s)
    cols = {
        f.name: pa.array([f"x{i}" for i in range(n)], f.type)
        if pa.types.is_string(f.type)
        else None
        for f in schema
    }
    cols["event_time"] = pa.array(np.array(times_s, dtype=np.int64) * 1_000_000).cast(
        pa.timestamp("us", tz="UTC")
    )
    if kind == "call":
        cols["duration_s"] = pa.array([1] * n, pa.int64())
    arrays = [cols[f.name] if cols[f.name] is not None else pa.nulls(n, f.type) for f in schema]
    return pa.Table.from_arrays(arrays, schema=schema)


def test_batches_merge_kinds_in_time_order():
    a = _table("call", [5, 1, 3, 9, 10, 11])
    b = _table("sms", [2, 4, 4, 8])
    out = list(batches_in_time_order([("call", a), ("sms", b)], batch_size=2))
    times = [t for _, _, batch in out for t in batch["event_time"].cast(pa.int64()).to_pylist()]
    assert times == sorted(times)
    assert sum(batch.num_rows for _, _, batch in out) == 10
    assert all(batch.num_rows <= 2 for _, _, batch in out)
    assert [k for k, _, _ in out][:4] == ["call", "sms", "call", "sms"]


def test_pacing_follows_speedup(server):
    url, received = server
    fake = {"now": 0.0}
    slept = []

    def sleep(s):
        slept.append(s)
        fake["now"] += s

    st = Streamer(
        url, speed=3600, api_key="k1", batch_size=100, sleep=sleep, clock=lambda: fake["now"]
    )
    # events spread over 10 simulated hours → 10 wall seconds at 3600×
    st.collect("call", _table("call", [0, 1800, 3600, 7200, 36000]))
    st.collect("sms", _table("sms", [100, 18000]))
    st.flush()
    assert abs(fake["now"] - 10.0) < 1e-6
    assert st.stats.events == 7 and st.stats.failed_batches == 0
    assert [r[2] for r in received] == ["call", "sms", "call", "sms", "call"]
    assert [len(r[3]["events"]) for r in received] == [1, 1, 3, 1, 1]
    assert all(r[1] == "k1" for r in received)
    assert all(r[0].startswith("/v1/events/") for r in received)


def test_stream_a_simulated_day_to_a_server(server):
    url, received = server
    cfg = SimConfig(preset="tiny", scale=0.1, days=1, seed=3, start=date(2026, 11, 1))
    st = Streamer(url, speed=86_400 * 50, api_key="secret", batch_size=1000)
    world, state, stats = simulate(cfg, st.collect, on_day=st.flush)
    total = sum(stats.events.values())
    assert total > 1000
    assert st.stats.events == total and st.stats.failed_batches == 0
    got = {}
    last = ""
    for _path, key, kind, body in received:
        assert key == "secret"
        got[kind] = got.get(kind, 0) + len(body["events"])
        first = body["events"][0]["event_time"]
        assert first >= last  # batches arrive in simulated-time order
        last = body["events"][-1]["event_time"]
    assert got == {k: v for k, v in stats.events.items() if v}
    # the JSON matches the platform's event models
    for _path, _key, kind, body in received[:30]:
        for row in body["events"][:20]:
            EVENT_TYPES[kind].model_validate(row)
