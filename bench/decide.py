"""Payment-check throughput and latency over HTTP, with a registry of N entries (default 10 M).

    .venv/bin/python bench/decide.py [--entries 10000000] [--duration 20] [--concurrency 16]
                                     [--sweep 8,16,32] [--mode all|embedded|embedded2|redis]
                                     [--workers 2] [--loadgen wrk|python]

First a baseline without HTTP: the payment-check service called in-process on the same registry.

For each mode it starts the real API (``uvicorn fanzha.api.app:create_app`` with uvloop, httptools
through ``fanzha.api.http:CoalescingHttpToolsProtocol`` (one write per response), ``--no-access-log``) on 127.0.0.1 and drives it from a separate load-generator process with
``POST /v1/check/payment`` and the default rule set. The load generator is ``wrk`` (C, one thread,
``--concurrency`` keep-alive connections, 20,000 pre-built requests in a Lua table; Debian package
``wrk``) when installed, else a lean asyncio client with pre-built request bytes (``--loadgen``);
closed loop, bounded by --duration (and --max-requests for the Python one), after a 2 s warm-up:

The headline figure of each mode is the ``--concurrency`` run (16 connections); with wrk the
``--sweep`` connection counts are then measured on the same server and printed below it, each
with its own CPU per check and load average (closed loop: fewer connections trade throughput for
latency, more the other way round).

* ``embedded``: 1 worker, in-process state, registry index memory-mapped from an ``.npy`` snapshot;
* ``embedded2``: the same with ``--workers`` workers — each worker keeps its *own* online state
  (the mmap'd registry pages are shared), so cross-channel exposure only reaches the worker that
  recorded it: a throughput figure, not a deployment recommendation;
* ``redis``: ``--workers`` workers sharing online state *and* the registry index in Redis
  (``FANZHA_REDIS_URL``; a private key namespace, deleted afterwards). Each check is one
  ``EVALSHA`` (both registry look-ups, exposures, payee history, velocity read + update) awaited on
  the worker's auto-pipelined connection (``fanzha.decide.aio_redis``), so concurrent checks of a
  worker share round trips.

Because the machine may be shared, each mode also reports CPU time: the server's (all uvicorn
processes, from ``/proc``) and Redis's (``INFO cpu``) per check, and the load generator's own CPU in
cores, plus the load average before and after.

The registry holds ``--entries`` synthetic keyed-hash prefixes plus a few thousand real listed
accounts and phone numbers the load hits (case accounts → block, exposed payers → delay), so the
rule set takes its real paths. Prints sustained checks/s, p50/p90/p99/max latency (client-measured,
including HTTP), outcome mix, registry memory (index bytes; Redis ``used_memory`` delta) and server RSS.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing as mp
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
SECRET = "bench-secret-not-for-production"
N_CASE = 2_000
N_PAYERS = 50_000
N_EXPOSED = 2_000


# ----------------------------------------------------------------------------- registry data
def synthetic_registry(entries: int, seed: int = 7) -> tuple[np.ndarray, np.ndarray, dict]:
    """``entries`` random prefixes + real keyed hashes of the accounts/phones the load uses."""
    from fanzha.domain.taxonomy import FraudType, RiskLevel, SuspiciousCode
    from fanzha.registry.index import pack
    from fanzha.registry.keys import hash_prefix, key_of

    rng = np.random.default_rng(seed)
    secret = SECRET.encode()
    case_accounts = [f"62300{i:011d}" for i in range(N_CASE)]
    fraud_phones = [f"1650000{i:04d}" for i in range(200)]
    real_p = [hash_prefix(key_of("account", a, secret)) for a in case_accounts]
    real_p += [hash_prefix(key_of("phone", p, secret)) for p in fraud_phones]
    real_i = [pack(RiskLevel.HIGH, FraudType.SHUADAN, SuspiciousCode.CASE_ACCOUNT)] * N_CASE
    real_i += [pack(RiskLevel.HIGH, FraudType.IMPERSONATE_AUTHORITY, None)] * len(fraud_phones)
    n_syn = max(entries - len(real_p), 0)
    prefixes = np.concatenate([rng.integers(-(2**63), 2**63 - 1, n_syn, dtype=np.int64), real_p])
    none = (15 << 2) | (15 << 6)  # no fraud type, no code
    synthetic_info = rng.integers(1, 4, n_syn).astype(np.uint16) | none  # grades 1–3
    infos = np.concatenate([synthetic_info, np.array(real_i, dtype=np.uint16)])
    load = {"case_accounts": case_accounts, "fraud_phones": fraud_phones}
    return prefixes, infos, load


# ----------------------------------------------------------------------------- load generator
def _requests(token: str, load: dict, n: int, seed: int) -> list[bytes]:
    rnd = random.Random(seed)
    out = []
    for _ in range(n):
        payer_i = rnd.randrange(N_PAYERS)
        r = rnd.random()
        if r < 0.01:
            payee = rnd.choice(load["case_accounts"])
        else:
            payee = f"62170{rnd.randrange(2_000_000):011d}"
        body = {
            "payer_account": f"62220{payer_i:011d}",
            "payee_account": payee,
            "amount_fen": rnd.choice([5_000, 20_000, 100_000, 800_000, 5_000_000]),
            "payer_phone": f"139{payer_i:08d}",
        }
        raw = json.dumps(body).encode()
        out.append(
            b"POST /v1/check/payment HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            + f"X-API-Key: {token}\r\nContent-Length: {len(raw)}\r\n\r\n".encode()
            + raw
        )
    return out


async def _conn(
    port: int,
    reqs: list[bytes],
    deadline: float,
    lat: list[float],
    codes: dict,
    outcomes: dict,
    budget: list[int],
) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    i = 0
    try:
        while time.perf_counter() < deadline and budget[0] > 0:
            budget[0] -= 1
            req = reqs[i % len(reqs)]
            i += 1
            t = time.perf_counter()
            writer.write(req)
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head[9:12])
            length = 0
            for line in head.split(b"\r\n"):
                if line[:15].lower() == b"content-length:":
                    length = int(line[15:])
            body = await reader.readexactly(length)
            lat.append(time.perf_counter() - t)
            codes[status] = codes.get(status, 0) + 1
            if status == 200:
                k = body.find(b'"outcome":"')
                o = body[k + 11 : body.find(b'"', k + 11)].decode()
                outcomes[o] = outcomes.get(o, 0) + 1
    finally:
        writer.close()


def load_generator(
    port: int,
    token: str,
    load: dict,
    duration: float,
    concurrency: int,
    max_requests: int,
    q: mp.Queue,
) -> None:
    reqs = _requests(token, load, 20_000, seed=os.getpid())
    lat: list[float] = []
    codes: dict[int, int] = {}
    outcomes: dict[str, int] = {}

    async def main() -> float:
        # warm-up (not measured)
        warm_lat: list[float] = []
        await asyncio.gather(
            *[
                _conn(
                    port, reqs[k::concurrency], time.perf_counter() + 2.0, warm_lat, {}, {}, [300]
                )
                for k in range(concurrency)
            ]
        )
        budget = [max_requests]
        q.put("start")
        cpu[0] = time.process_time()
        t0 = time.perf_counter()
        deadline = t0 + duration
        await asyncio.gather(
            *[
                _conn(port, reqs[k::concurrency], deadline, lat, codes, outcomes, budget)
                for k in range(concurrency)
            ]
        )
        return time.perf_counter() - t0

    cpu = [0.0]
    elapsed = asyncio.run(main())
    cpu_s = time.process_time() - cpu[0]
    q.put({"elapsed": elapsed, "lat": lat, "codes": codes, "outcomes": outcomes, "cpu_s": cpu_s})


_WRK_LUA = """
local bodies = dofile("%(bodies)s")
local token = "%(token)s"
local reqs, n, i = {}, 0, 0
outcomes, statuses = {}, {}
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  local headers = {["Content-Type"] = "application/json", ["X-API-Key"] = token}
  for k, b in ipairs(bodies) do
    reqs[k] = wrk.format("POST", "/v1/check/payment", headers, b)
  end
  n = #reqs
  i = math.random(n) - 1
end

function request()
  i = i %% n + 1
  return reqs[i]
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  local o = string.match(body, '"outcome":"([^"]*)"')
  if o then outcomes[o] = (outcomes[o] or 0) + 1 end
end

local function jmap(t)
  local parts = {}
  for k, v in pairs(t) do table.insert(parts, string.format('"%%s":%%d', k, v)) end
  return "{" .. table.concat(parts, ",") .. "}"
end

function done(summary, latency, requests)
  local oc, st = {}, {}
  for _, t in ipairs(threads) do
    for k, v in pairs(t:get("outcomes")) do oc[k] = (oc[k] or 0) + v end
    for k, v in pairs(t:get("statuses")) do st[k] = (st[k] or 0) + v end
  end
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests":%%d,"duration_us":%%d,"p50_us":%%d,"p90_us":%%d,"p99_us":%%d,' ..
    '"max_us":%%d,"socket_errors":%%d,"outcomes":%%s,"status":%%s}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max, e.connect + e.read + e.write + e.timeout,
    jmap(oc), jmap(st)))
end
"""


def _wrk_script(directory: Path, token: str, load: dict) -> Path:
    bodies = [r.split(b"\r\n\r\n", 1)[1].decode() for r in _requests(token, load, 20_000, 11)]
    (directory / "bodies.lua").write_text(
        "return {\n" + ",\n".join(f"[[{b}]]" for b in bodies) + "\n}\n", encoding="utf-8"
    )
    path = directory / "payment.lua"
    path.write_text(
        _WRK_LUA % {"bodies": directory / "bodies.lua", "token": token}, encoding="utf-8"
    )
    return path


def _run_wrk(script: Path, port: int, seconds: float, concurrency: int) -> tuple[dict, float]:
    """One closed-loop wrk run; returns its summary and its own CPU seconds (user + system)."""
    cmd = [
        "wrk", "-t1", f"-c{concurrency}", f"-d{max(int(round(seconds)), 1)}s", "--timeout", "10s",
        "-s", str(script), f"http://127.0.0.1:{port}/v1/check/payment",
    ]  # fmt: skip
    _child_cpu_delta()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out, err = proc.communicate(timeout=seconds + 60)
    cpu = _child_cpu_delta()
    for line in out.splitlines():
        if line.startswith("WRKJSON "):
            return json.loads(line[8:]), cpu
    raise RuntimeError(f"wrk gave no summary: {out}\n{err}")


_children_cpu = [0.0]


def _child_cpu_delta() -> float:
    """CPU seconds of reaped child processes since the previous call."""
    import resource

    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    total = ru.ru_utime + ru.ru_stime
    delta, _children_cpu[0] = total - _children_cpu[0], total
    return delta


def _tree_cpu_s(pid: int) -> float:
    """User + system CPU seconds of ``pid`` and its children (the uvicorn master and workers)."""
    tick = os.sysconf("SC_CLK_TCK")
    pids = [pid]
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    pids += [int(p) for p in out.split()]
    total = 0
    for p in pids:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / tick


def _redis_cpu_s(client) -> float:  # noqa: ANN001
    info = client.info("cpu")
    return float(info["used_cpu_user"]) + float(info["used_cpu_sys"])


def _loadavg() -> float:
    return float(Path("/proc/loadavg").read_text().split()[0])


# ----------------------------------------------------------------------------- server
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _prepare_data_dir(d: Path) -> str:
    """Migrated embedded DB with one bank organisation and its API key."""
    env = {**os.environ, "FANZHA_DATA_DIR": str(d), "FANZHA_SECRET": SECRET}
    code = (
        "from fanzha.store.migrate import upgrade\n"
        "from fanzha.store.db import session_scope\n"
        "from fanzha.access import keys, orgs\n"
        "upgrade()\n"
        "with session_scope() as s:\n"
        "    orgs.add_org(s, 'bench-bank', '压测银行', 'bank', None, None)\n"
        "    print(keys.create_key(s, 'bench-bank', 'bench').token)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    return out.stdout.strip().splitlines()[-1]


def _uvicorn_opts() -> list[str]:
    opts = []
    try:
        import httptools  # noqa: F401

        # httptools, head and body of a response in one write (fanzha.api.http)
        opts += ["--http", "fanzha.api.http:CoalescingHttpToolsProtocol"]
    except ImportError:
        opts += ["--http", "h11"]
    try:
        import uvloop  # noqa: F401

        opts += ["--loop", "uvloop"]
    except ImportError:
        opts += ["--loop", "asyncio"]
    return opts


def _start_server(port: int, workers: int, env: dict) -> subprocess.Popen:
    cmd = [
        sys.executable,
        "-m",
        "uvicorn",
        "fanzha.api.app:create_app",
        "--factory",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--log-level",
        "warning",
        "--no-access-log",
        *_uvicorn_opts(),
    ]
    proc = subprocess.Popen(cmd, env=env, cwd=ROOT, start_new_session=True)
    deadline = time.time() + 180
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return proc
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError("server exited during start-up") from None
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError("server did not start")


def _sweep_point(
    script: Path, port: int, seconds: float, concurrency: int, pid: int, redis_client: object
) -> dict:
    """One more closed-loop wrk run at another connection count, on the same server (its online
    state has grown by the runs before)."""
    _run_wrk(script, port, 2.0, concurrency)  # warm-up, not measured
    load0 = _loadavg()
    cpu0 = _tree_cpu_s(pid)
    rcpu0 = _redis_cpu_s(redis_client) if redis_client is not None else 0.0
    summary, gen_cpu = _run_wrk(script, port, seconds, concurrency)
    cpu1 = _tree_cpu_s(pid)
    rcpu1 = _redis_cpu_s(redis_client) if redis_client is not None else 0.0
    n = max(summary["requests"], 1)
    elapsed = summary["duration_us"] / 1e6
    point = {
        "concurrency": concurrency,
        "checks_per_s": round(summary["requests"] / elapsed, 1),
        **{f"{k}_ms": round(summary[f"{k}_us"] / 1000, 2) for k in ("p50", "p90", "p99", "max")},
        "server_cpu_us_per_check": round((cpu1 - cpu0) / n * 1e6, 1),
        "loadgen_cpu_cores": round(gen_cpu / elapsed, 2),
        "load_avg_before": load0,
        "load_avg_after": _loadavg(),
        "status": {int(k): v for k, v in summary["status"].items()},
    }
    if redis_client is not None:
        point["redis_cpu_us_per_check"] = round((rcpu1 - rcpu0) / n * 1e6, 1)
    return point


def _rss_mb(pid: int) -> float:
    """RSS of the server process tree (master + workers), MB."""
    total = 0
    pids = [pid]
    try:
        out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
        pids += [int(p) for p in out.split()]
    except OSError:
        pass
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


def _stop(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, 15)
        proc.wait(timeout=15)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(proc.pid, 9)


def _warm(port: int, token: str, load: dict, n_exposed: int) -> None:
    """Put exposures on some payers (calls from listed numbers) so delay rules fire."""
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    for i in range(n_exposed):
        body = json.dumps(
            {"number": f"139{i * 25:08d}", "kind": "call", "target": load["fraud_phones"][i % 200]}
        )
        conn.request(
            "POST",
            "/v1/check/exposure",
            body,
            {"X-API-Key": token, "Content-Type": "application/json"},
        )
        r = conn.getresponse()
        r.read()
        if r.status != 200:
            raise RuntimeError(f"exposure warm-up failed: {r.status}")
    conn.close()


def run_mode(
    mode: str, args: argparse.Namespace, prefixes: np.ndarray, infos: np.ndarray, load: dict
) -> dict:
    from fanzha.registry.index import MemoryIndex, RedisIndex

    tmp = Path(tempfile.mkdtemp(prefix=f"fanzha-bench-{mode}-"))
    result: dict = {"mode": mode}
    proc = None
    redis_client = None
    ns = f"bench{os.getpid()}"
    try:
        token = _prepare_data_dir(tmp)
        env = {**os.environ, "FANZHA_DATA_DIR": str(tmp), "FANZHA_SECRET": SECRET}
        env.pop("FANZHA_REDIS_URL", None)
        t = time.perf_counter()
        if mode in ("embedded", "embedded2"):
            idx = MemoryIndex.build(prefixes, infos)
            idx.save(tmp / "snapshot")
            result["registry_index_mb"] = round(idx.nbytes / 2**20, 1)
            env["FANZHA_REGISTRY_SNAPSHOT"] = str(tmp / "snapshot")
            workers = 1 if mode == "embedded" else args.workers
        else:
            import redis

            redis_client = redis.Redis.from_url(args.redis_url)
            before = int(redis_client.info("memory")["used_memory"])
            RedisIndex(redis_client, ns).load_arrays(prefixes, infos)
            after = int(redis_client.info("memory")["used_memory"])
            result["registry_redis_mb"] = round((after - before) / 2**20, 1)
            env["FANZHA_REDIS_URL"] = args.redis_url
            env["FANZHA_REDIS_NAMESPACE"] = ns
            workers = args.workers
        result["registry_entries"] = int(len(np.unique(prefixes)))
        result["registry_build_s"] = round(time.perf_counter() - t, 1)
        result["workers"] = workers
        result["loadgen"] = args.loadgen
        port = _free_port()
        proc = _start_server(port, workers, env)
        _warm(port, token, load, N_EXPOSED)
        result["load_avg_before"] = _loadavg()
        if args.loadgen == "wrk":
            script = _wrk_script(tmp, token, load)
            _run_wrk(script, port, 2.0, args.concurrency)  # warm-up, not measured
            cpu0 = _tree_cpu_s(proc.pid)
            rcpu0 = _redis_cpu_s(redis_client) if redis_client is not None else 0.0
            summary, gen_cpu = _run_wrk(script, port, args.duration, args.concurrency)
            sweep = [c for c in args.sweep if c != args.concurrency]
            cpu1 = _tree_cpu_s(proc.pid)
            rcpu1 = _redis_cpu_s(redis_client) if redis_client is not None else 0.0
            elapsed = summary["duration_us"] / 1e6
            n = summary["requests"]
            lat_ms = {k: round(summary[f"{k}_us"] / 1000, 2) for k in ("p50", "p90", "p99", "max")}
            codes = {int(k): v for k, v in summary["status"].items()}
            outcomes = summary["outcomes"]
            if summary["socket_errors"]:
                result["socket_errors"] = summary["socket_errors"]
        else:
            q: mp.Queue = mp.get_context("spawn").Queue()
            gen = mp.get_context("spawn").Process(
                target=load_generator,
                args=(port, token, load, args.duration, args.concurrency, args.max_requests, q),
            )
            gen.start()
            assert q.get(timeout=120) == "start"
            cpu0 = _tree_cpu_s(proc.pid)
            rcpu0 = _redis_cpu_s(redis_client) if redis_client is not None else 0.0
            res = q.get(timeout=args.duration + 120)
            cpu1 = _tree_cpu_s(proc.pid)
            rcpu1 = _redis_cpu_s(redis_client) if redis_client is not None else 0.0
            gen.join(timeout=30)
            elapsed, n, gen_cpu = res["elapsed"], len(res["lat"]), res["cpu_s"]
            lat = np.array(res["lat"]) * 1000
            lat_ms = {
                "p50": round(float(np.percentile(lat, 50)), 2),
                "p90": round(float(np.percentile(lat, 90)), 2),
                "p99": round(float(np.percentile(lat, 99)), 2),
                "max": round(float(lat.max()), 2),
            }
            codes, outcomes = res["codes"], res["outcomes"]
        result["load_avg_after"] = _loadavg()
        result["server_rss_mb"] = round(_rss_mb(proc.pid), 1)
        result.update(
            requests=n,
            seconds=round(elapsed, 2),
            checks_per_s=round(n / elapsed, 1),
            **{f"{k}_ms": v for k, v in lat_ms.items()},
            server_cpu_us_per_check=round((cpu1 - cpu0) / max(n, 1) * 1e6, 1),
            server_cpu_cores=round((cpu1 - cpu0) / elapsed, 2),
            loadgen_cpu_cores=round(gen_cpu / elapsed, 2),
            status=codes,
            outcomes=outcomes,
        )
        if redis_client is not None:
            result["redis_cpu_us_per_check"] = round((rcpu1 - rcpu0) / max(n, 1) * 1e6, 1)
        # what the measured CPU cost allows on an otherwise idle machine (server + Redis, per core)
        cost_us = result["server_cpu_us_per_check"] + result.get("redis_cpu_us_per_check", 0.0)
        result["cpu_bound_checks_per_core_s"] = round(1e6 / max(cost_us, 1e-9))
        if args.loadgen == "wrk" and sweep:
            result["sweep"] = [
                _sweep_point(script, port, args.duration, c, proc.pid, redis_client) for c in sweep
            ]
    finally:
        if proc is not None:
            _stop(proc)
        if redis_client is not None:
            cursor = 0
            while True:
                cursor, keys = redis_client.scan(cursor, match=f"{ns}:*", count=20_000)
                if keys:
                    redis_client.unlink(*keys)
                if cursor == 0:
                    break
            redis_client.close()
        shutil.rmtree(tmp, ignore_errors=True)
    return result


def in_process(prefixes: np.ndarray, infos: np.ndarray, load: dict, n: int = 20_000) -> dict:
    """Baseline without HTTP: the payment-check service itself on the same registry (embedded)."""
    from datetime import UTC, datetime
    from types import SimpleNamespace

    from fanzha.decide.checks import PaymentCheckRequest, build_runtime, check_payment
    from fanzha.domain.clock import FixedClock
    from fanzha.registry.index import MemoryIndex

    tmp = Path(tempfile.mkdtemp(prefix="fanzha-bench-inproc-"))
    settings = SimpleNamespace(
        redis_url=None, secret_bytes=SECRET.encode(), data_dir=tmp, public_lookup_rate_per_minute=30
    )
    rt = build_runtime(
        settings,
        clock=FixedClock(datetime(2026, 6, 1, 4, tzinfo=UTC)),
        index=MemoryIndex.build(prefixes, infos),
    )
    rnd = random.Random(1)
    reqs = []
    for _ in range(n):
        i = rnd.randrange(N_PAYERS)
        payee = (
            rnd.choice(load["case_accounts"])
            if rnd.random() < 0.01
            else f"62170{rnd.randrange(2_000_000):011d}"
        )
        reqs.append(
            PaymentCheckRequest(
                f"62220{i:011d}",
                payee,
                rnd.choice([5_000, 100_000, 5_000_000]),
                payer_phone=f"139{i:08d}",
            )
        )
    lat = np.empty(n)
    c0, w0 = time.process_time(), time.perf_counter()
    for k, r in enumerate(reqs):
        t = time.perf_counter()
        check_payment(rt, r)
        lat[k] = time.perf_counter() - t
    wall, cpu = time.perf_counter() - w0, time.process_time() - c0
    rt.log.close()
    shutil.rmtree(tmp, ignore_errors=True)
    return {
        "mode": "in-process service (no HTTP)",
        "checks": n,
        "checks_per_s": round(n / wall, 1),
        "cpu_us_per_check": round(cpu / n * 1e6, 1),
        "p50_ms": round(float(np.percentile(lat, 50) * 1000), 3),
        "p99_ms": round(float(np.percentile(lat, 99) * 1000), 3),
    }


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--entries", type=int, default=10_000_000)
    ap.add_argument("--duration", type=float, default=20.0, help="measured seconds per mode")
    ap.add_argument("--max-requests", type=int, default=2_000_000)
    ap.add_argument("--concurrency", type=int, default=16, help="connections of the headline run")
    ap.add_argument(
        "--sweep",
        type=lambda v: [int(x) for x in v.split(",") if x],
        default=[8, 16, 32],
        help="wrk only: connection counts also measured after the headline run, on the same "
        "server ('' for none)",
    )
    ap.add_argument(
        "--workers", type=int, default=2, help="uvicorn workers in embedded2 and redis modes"
    )
    ap.add_argument(
        "--mode", choices=["all", "both", "embedded", "embedded2", "redis"], default="all"
    )
    ap.add_argument(
        "--loadgen",
        choices=["wrk", "python"],
        default="wrk" if shutil.which("wrk") else "python",
        help="wrk (Debian package, C) or the built-in asyncio client",
    )
    ap.add_argument(
        "--redis-url", default=os.environ.get("FANZHA_BENCH_REDIS", "redis://127.0.0.1:6379/0")
    )
    args = ap.parse_args()
    t = time.perf_counter()
    prefixes, infos, load = synthetic_registry(args.entries)
    print(
        f"registry: {args.entries:,} entries generated in {time.perf_counter() - t:.1f}s; uvicorn {' '.join(_uvicorn_opts())}"
    )
    print(json.dumps(in_process(prefixes, infos, load), ensure_ascii=False))
    modes = {
        "all": ["embedded", "embedded2", "redis"],
        "both": ["embedded", "redis"],
    }.get(args.mode, [args.mode])
    for m in modes:
        r = run_mode(m, args, prefixes, infos, load)
        print(json.dumps(r, ensure_ascii=False))
        ok = r["checks_per_s"] >= 2500 and r["p99_ms"] <= 20
        print(
            f"  {m} ({r['workers']} worker(s)): {r['checks_per_s']:,.0f} checks/s, "
            f"p50 {r['p50_ms']} ms, p99 {r['p99_ms']} ms, server CPU "
            f"{r['server_cpu_us_per_check']} µs/check"
            + (
                f" + Redis {r['redis_cpu_us_per_check']} µs"
                if "redis_cpu_us_per_check" in r
                else ""
            )
            + f" (≈{r['cpu_bound_checks_per_core_s']:,}/s per core), load generator "
            f"{r['loadgen_cpu_cores']} "
            f"cores, load avg {r['load_avg_before']}→{r['load_avg_after']} "
            f"(target ≥2,500/s at p99 ≤20 ms: {'met' if ok else 'NOT met'})"
        )
        for pt in r.get("sweep", []):
            print(
                f"    sweep {pt['concurrency']} connections: {pt['checks_per_s']:,.0f} checks/s, "
                f"p50 {pt['p50_ms']} ms, p99 {pt['p99_ms']} ms, server CPU "
                f"{pt['server_cpu_us_per_check']} µs/check"
                + (
                    f" + Redis {pt['redis_cpu_us_per_check']} µs"
                    if "redis_cpu_us_per_check" in pt
                    else ""
                )
                + f", load avg {pt['load_avg_before']}→{pt['load_avg_after']}"
            )


if __name__ == "__main__":
    main()
