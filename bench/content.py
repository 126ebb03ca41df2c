"""Content detection throughput: text messages/s per core (batch), API p99 for one message, URLs/s.

    .venv/bin/python bench/content.py [--size 20000] [--requests 1000]

Single-threaded (BLAS threads pinned to 1) so the figures are per core. The API latency is measured
against a real uvicorn process on 127.0.0.1 with a keep-alive HTTP client from this process.
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
    from fanzha.detect.text import default_model

    model = default_model()
    msgs = messages(n)
    model.classify(msgs[:200])
    for evidence in (False, True):
        t = time.perf_counter()
        for s in range(0, len(msgs), 2000):
            model.classify(msgs[s : s + 2000], evidence=evidence)
        dt = time.perf_counter() - t
        print(
            f"text batch ({'with' if evidence else 'without'} evidence): {len(msgs) / dt:,.0f} messages/s "
            f"(n={len(msgs)}, mean length {np.mean([len(m) for m in msgs]):.0f} chars; target ≥ 5,000)"
        )


def bench_single(n: int = 1000) -> None:
    """One message/URL per call in-process: the detector's share of an API request."""
    from fanzha.detect.text import default_model as text_model
    from fanzha.detect.urls import default_model as url_model

    tm, um = text_model(), url_model()
    for name, fn, items in (("text", tm.classify, messages(n)), ("url", um.score, urls(n))):
        fn(items[:20])
        lat = []
        for x in items:
            t = time.perf_counter()
            fn([x])
            lat.append((time.perf_counter() - t) * 1000)
        a = np.array(lat)
        print(
            f"in-process single {name}: p50 {np.percentile(a, 50):.2f} ms, "
            f"p99 {np.percentile(a, 99):.2f} ms (n={len(a)})"
        )


def bench_urls(n: int) -> None:
    from fanzha.detect.urls import default_model, rules
    from fanzha.detect.urls import model as url_model

    model = default_model()
    us = urls(n)
    model.score(us[:100])
    for cached in (rules.host_reasons, rules._idna, rules._registrable, rules.host_facts):
        cached.cache_clear()
    rules._label_scan.cache_clear()
    url_model._HOST_PART.clear()
    t = time.perf_counter()
    for s in range(0, len(us), 5000):
        model.score(us[s : s + 5000])
    dt = time.perf_counter() - t
    print(
        f"urls batch (cold host caches): {len(us) / dt:,.0f} URLs/s (n={len(us)}; target ≥ 50,000)"
    )
    t = time.perf_counter()
    for s in range(0, len(us), 5000):
        model.score(us[s : s + 5000])
    dt = time.perf_counter() - t
    print(f"urls batch (warm host caches): {len(us) / dt:,.0f} URLs/s")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def bench_api(requests: int) -> None:
    import httpx

    port = _free_port()
    env = dict(os.environ, FANZHA_DATA_DIR=tempfile.mkdtemp(prefix="fanzha-bench-"))
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "fanzha.api.app:create_app",
            "--factory",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
            "--no-access-log",
        ],
        env=env,
        cwd=ROOT,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        with httpx.Client(base_url=base, timeout=10) as c:
            for _ in range(300):
                try:
                    if c.get("/health").status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.1)
            else:
                raise RuntimeError("uvicorn did not start")
            msgs = messages(requests + 50)
            for m in msgs[:50]:  # warm-up, loads the model
                c.post("/v1/check/text", json={"text": m}).raise_for_status()
            lat = []
            for m in msgs[50:]:
                t = time.perf_counter()
                c.post("/v1/check/text", json={"text": m}).raise_for_status()
                lat.append((time.perf_counter() - t) * 1000)
            lat_u = []
            for u in urls(requests):
                t = time.perf_counter()
                c.post("/v1/check/url", json={"url": u}).raise_for_status()
                lat_u.append((time.perf_counter() - t) * 1000)
        for name, xs in (("text", lat), ("url", lat_u)):
            a = np.array(xs)
            print(
                f"api /v1/check/{name}: p50 {np.percentile(a, 50):.2f} ms, p99 {np.percentile(a, 99):.2f} ms "
                f"(n={len(a)}, one message per request, keep-alive; target p99 ≤ 5 ms)"
            )
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--size", type=int, default=20000, help="messages and URLs per batch run")
    ap.add_argument("--requests", type=int, default=1000, help="API requests per endpoint")
    ap.add_argument("--skip-api", action="store_true")
    a = ap.parse_args()
    print(f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    bench_text(a.size)
    bench_urls(a.size)
    bench_single()
    if not a.skip_api:
        bench_api(a.requests)


if __name__ == "__main__":
    main()
