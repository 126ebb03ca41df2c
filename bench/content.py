"""Content detection throughput: text messages/s per core (batch), API p99 for one message, URLs/s.

    .venv/bin/python bench/content.py [--size 20000] [--requests 1000]

Single-threaded (BLAS threads pinned to 1) so the figures are per core. The API latency is measured
against a real uvicorn process on 127.0.0.1 from a separate load-generator process (one
keep-alive connection, one message per request), with the server's CPU per request from /proc.
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

import argparse  # noqa: E402
import socket  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def messages(n: int) -> list[str]:
    from fanzha.detect.text.corpus import generate

    return [t for t, _ in generate(n, seed=123)]


def urls(n: int) -> list[str]:
    from fanzha.detect.urls.corpus import generate

    out = [u for u, _ in generate(n, seed=321)]
    f = ROOT.parent / "shared" / "datasets" / "urls" / "esdaung_phish" / "balanced_train.csv"
    if f.exists():
        import pandas as pd

        real = pd.read_csv(f)["url"].astype(str).tolist()
        out = (real + out)[:n]
    return out


def bench_text(n: int) -> None:
    """Messages/s per core in batches of 2,000, by CPU time (the machine is shared)."""
    from fanzha.detect.text import default_model

    model = default_model()
    msgs = messages(n)
    model.classify(msgs[:200])
    for evidence in (False, True):
        load = os.getloadavg()[0]
        t, c = time.perf_counter(), time.process_time()
        for s in range(0, len(msgs), 2000):
            model.classify(msgs[s : s + 2000], evidence=evidence)
        wall, cpu = time.perf_counter() - t, time.process_time() - c
        print(
            f"text batch ({'with' if evidence else 'without'} evidence): {len(msgs) / cpu:,.0f} "
            f"messages/s per core by CPU time ({len(msgs) / cpu / 5000:.2f}x the 5,000 target), "
            f"{len(msgs) / wall:,.0f}/s wall (n={len(msgs)}, mean length "
            f"{np.mean([len(m) for m in msgs]):.0f} chars, load average {load:.1f})"
        )


def bench_single(n: int = 1000) -> None:
    """One message/URL per call in-process: the detector's share of an API request."""
    from fanzha.detect.text import default_model as text_model
    from fanzha.detect.urls import default_model as url_model

    tm, um = text_model(), url_model()
    for name, fn, items in (("text", tm.classify, messages(n)), ("url", um.score, urls(n))):
        fn(items[:20])
        lat = []
        load = os.getloadavg()[0]
        c = time.process_time()
        for x in items:
            t = time.perf_counter()
            fn([x])
            lat.append((time.perf_counter() - t) * 1000)
        cpu = time.process_time() - c
        a = np.array(lat)
        print(
            f"in-process single {name}: p50 {np.percentile(a, 50):.2f} ms, "
            f"p99 {np.percentile(a, 99):.2f} ms wall, {cpu / len(a) * 1e6:,.0f} µs CPU each "
            f"(n={len(a)}, load average {load:.1f})"
        )


def bench_urls(n: int, url_file: str | None = None) -> list[float]:
    """URLs/s per core in batches of 5,000, by CPU time (the machine is shared), cold and warm.
    ``url_file``: a JSON list of URLs to use instead of ``urls(n)`` (the same input for trees
    whose URL generator differs)."""
    import json

    from fanzha.detect.urls import default_model, rules

    model = default_model()
    us = json.loads(Path(url_file).read_text(encoding="utf-8")) if url_file else urls(n)
    model.score(us[:100])
    for cached in (rules.host_reasons, rules._idna, rules._registrable, rules.host_facts):
        cached.cache_clear()
    rules._label_scan.cache_clear()
    rules._CLEAN_LABELS.clear()
    if hasattr(rules, "_reason"):  # interned rule reasons (trees that have them)
        rules._reason.cache_clear()
    rates = []
    for label in ("cold host caches", "warm host caches"):
        load = os.getloadavg()[0]
        t, c = time.perf_counter(), time.process_time()
        for s in range(0, len(us), 5000):
            model.score(us[s : s + 5000])
        wall, cpu = time.perf_counter() - t, time.process_time() - c
        rates.append(len(us) / cpu)
        print(
            f"urls batch ({label}): {len(us) / cpu:,.0f} URLs/s per core by CPU time "
            f"({len(us) / cpu / 50_000:.2f}x the 50,000 target), {len(us) / wall:,.0f} URLs/s wall "
            f"(n={len(us)}, load average {load:.1f})"
        )
    return rates


def bench_urls_vs(n: int, baseline_src: Path, rounds: int = 3) -> None:
    """URLs/s per core of this tree and of ``baseline_src``, each in its own process, alternating
    ``rounds`` times; best run per side and the same-run ratio."""
    import json

    best: dict[str, list[float]] = {}
    # both sides score the same URLs (this tree's generator), whatever the baseline's generates
    url_file = Path(tempfile.mkdtemp(prefix="fanzha-urls-")) / "urls.json"
    url_file.write_text(json.dumps(urls(n), ensure_ascii=False), encoding="utf-8")
    for _ in range(rounds):
        for label, src in (("this tree", ROOT / "src"), ("baseline", baseline_src)):
            out = subprocess.run(
                [sys.executable, __file__, "--urls-child", str(n), "--urls-file", str(url_file)],
                env=dict(os.environ, PYTHONPATH=str(src)),
                capture_output=True, text=True, check=True,
            ).stdout  # fmt: skip
            rates = json.loads(out.strip().splitlines()[-1])
            b = best.setdefault(label, [0.0, 0.0])
            best[label] = [max(x, y) for x, y in zip(b, rates, strict=True)]
    for i, part in enumerate(("cold", "warm")):
        now, base = best["this tree"][i], best["baseline"][i]
        print(
            f"urls batch ({part} host caches), best of {rounds} alternating runs: this tree "
            f"{now:,.0f} URLs/s per core, baseline {base:,.0f}, ratio {now / base:.2f} "
            f"({now / 50_000:.2f}x the 50,000 target; load average {os.getloadavg()[0]:.1f})"
        )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _cpu_s(pid: int) -> float:
    """User + system CPU seconds of one process (the uvicorn server), from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _post(path: str, body: dict) -> bytes:
    import json

    payload = json.dumps(body, ensure_ascii=False).encode()
    head = (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(payload)}\r\n\r\n"
    )
    return head.encode() + payload


def loadgen_child(port: int, req_file: str, out_file: str) -> None:
    """The load generator (its own process): one keep-alive connection, one message per request,
    each sent when the previous answer is in; pre-built request bytes, latencies to ``out_file``."""
    import pickle

    reqs: list[bytes] = pickle.loads(Path(req_file).read_bytes())
    sock = socket.create_connection(("127.0.0.1", port))
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    lat = np.empty(len(reqs))
    buf = b""
    for i, r in enumerate(reqs):
        t = time.perf_counter()
        sock.sendall(r)
        while True:
            end = buf.find(b"\r\n\r\n")
            if end >= 0:
                head = buf[:end].lower()
                k = head.find(b"content-length:")
                size = int(head[k + 15 :].split(b"\r\n", 1)[0])
                if len(buf) >= end + 4 + size:
                    if not head.startswith(b"http/1.1 200"):
                        raise RuntimeError(buf[: end + 4 + size].decode("utf-8", "replace"))
                    buf = buf[end + 4 + size :]
                    break
            chunk = sock.recv(65536)
            if not chunk:
                raise RuntimeError("server closed the connection")
            buf += chunk
        lat[i] = (time.perf_counter() - t) * 1000
    sock.close()
    np.save(out_file, lat)


def _start_server(port: int, src: Path | None) -> subprocess.Popen:
    env = dict(os.environ, FANZHA_DATA_DIR=tempfile.mkdtemp(prefix="fanzha-bench-"))
    if src is not None:  # a baseline tree (e.g. the last commit's src) for a same-run ratio
        env["PYTHONPATH"] = str(src)
    return subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "fanzha.api.app:create_app", "--factory", "--host",
         "127.0.0.1", "--port", str(port), "--log-level", "warning", "--no-access-log"],
        env=env,
        cwd=ROOT if src is None else src,
    )  # fmt: skip


def _api_run(src: Path | None, requests: int, label: str) -> dict[str, float]:
    """p50/p99 of one POST /v1/check/text and /v1/check/url per request, load generator in a
    separate process over 127.0.0.1, and the server's CPU per request."""
    import pickle

    import httpx

    port = _free_port()
    proc = _start_server(port, src)
    out: dict[str, float] = {}
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as c:
            for _ in range(600):
                try:
                    if c.get("/health").status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.1)
            else:
                raise RuntimeError("uvicorn did not start")
        tmp = Path(tempfile.mkdtemp(prefix="fanzha-loadgen-"))
        cases = (
            ("text", [_post("/v1/check/text", {"text": m}) for m in messages(requests + 200)]),
            ("url", [_post("/v1/check/url", {"url": u}) for u in urls(requests + 200)]),
        )
        for name, reqs in cases:
            for part, batch in (("warm", reqs[:200]), ("run", reqs[200:])):
                (tmp / "reqs.pkl").write_bytes(pickle.dumps(batch))
                load = os.getloadavg()[0]
                cpu0 = _cpu_s(proc.pid)
                gen = subprocess.run(
                    [sys.executable, __file__, "--loadgen-child", str(port),
                     str(tmp / "reqs.pkl"), str(tmp / "lat.npy")],
                    capture_output=True, text=True,
                )  # fmt: skip
                cpu = _cpu_s(proc.pid) - cpu0
                if gen.returncode != 0:
                    print(f"api /v1/check/{name} [{label}]: failed: {gen.stderr.strip()[-300:]}")
                    break
                if part == "warm":  # loads the model, fills caches: not measured
                    continue
                a = np.load(tmp / "lat.npy")
                p50, p99 = np.percentile(a, 50), np.percentile(a, 99)
                out[f"{name}_p99"] = p99
                out[f"{name}_cpu_us"] = cpu / len(a) * 1e6
                print(
                    f"api /v1/check/{name} [{label}]: p50 {p50:.2f} ms, p99 {p99:.2f} ms, "
                    f"max {a.max():.1f} ms; server CPU {cpu / len(a) * 1e6:,.0f} µs/request "
                    f"(n={len(a)}, one message per request, keep-alive, separate load-generator "
                    f"process; load average {load:.1f} before, {os.getloadavg()[0]:.1f} after; "
                    f"target p99 ≤ 5 ms)"
                )
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    return out


def bench_api(requests: int, baseline_src: Path | None = None) -> None:
    now = _api_run(None, requests, "this tree")
    if baseline_src is not None:
        base = _api_run(baseline_src, requests, f"baseline {baseline_src}")
        for k in ("text", "url"):
            if k + "_p99" not in now or k + "_p99" not in base:
                continue
            print(
                f"api /v1/check/{k}: p99 ratio this/baseline {now[k + '_p99'] / base[k + '_p99']:.2f}, "
                f"server CPU ratio {now[k + '_cpu_us'] / base[k + '_cpu_us']:.2f}"
            )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--size", type=int, default=20000, help="messages and URLs per batch run")
    ap.add_argument("--requests", type=int, default=1000, help="API requests per endpoint")
    ap.add_argument("--skip-api", action="store_true")
    ap.add_argument(
        "--baseline-src",
        type=Path,
        help="also measure the API with this src tree (e.g. the last commit's) for a ratio",
    )
    ap.add_argument("--only", choices=["text", "urls", "single", "api"], help="run one part")
    ap.add_argument("--loadgen-child", nargs=3, help=argparse.SUPPRESS)
    ap.add_argument("--urls-child", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--urls-file", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.urls_child:
        import json

        print(json.dumps(bench_urls(a.urls_child, a.urls_file)))
        return
    if a.loadgen_child:
        loadgen_child(int(a.loadgen_child[0]), a.loadgen_child[1], a.loadgen_child[2])
        return
    if a.only:
        print(f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        {
            "text": lambda: bench_text(a.size),
            "urls": lambda: (
                bench_urls_vs(a.size, a.baseline_src) if a.baseline_src else bench_urls(a.size)
            ),
            "single": bench_single,
            "api": lambda: bench_api(a.requests, a.baseline_src),
        }[a.only]()
        return
    print(f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    bench_text(a.size)
    bench_urls(a.size)
    bench_single()
    if not a.skip_api:
        bench_api(a.requests, a.baseline_src)


if __name__ == "__main__":
    main()
