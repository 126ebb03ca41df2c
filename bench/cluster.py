"""Clustering benchmark: link cases over 10 M identifiers and 20 M case–identifier links.

Synthetic incidence (numpy): every identifier is named by at least one case (10 M links), and
another 10 M links pick identifiers from a heavy-tailed popularity (u³), so a few identifiers are
hubs named by tens of thousands of cases — the big merchants and popular apps that must be
discounted. Measured, in one process:
  * linking (dedupe, degrees, hub rule, star→path edges, connected components with python-igraph
    — or scipy with ``--engine scipy``),
  * building the incremental linker (sorted 64-bit keys + union-find),
  * incremental linking of new cases (each naming 3 known identifiers and 1 new one): p50/p99/max,
  * peak RSS (``ru_maxrss``) of the whole run.

Targets (issue 10): ≤ 60 s and ≤ 4 GB for the clustering; ≤ 50 ms per incremental case.
Run: ``.venv/bin/python bench/cluster.py [--scale 1.0] [--engine igraph|scipy]``.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from fanzha.cases.incremental import IncrementalLinker  # noqa: E402
from fanzha.cases.linking import HubRule, link_codes  # noqa: E402


def peak_rss_gb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2  # KiB → GiB


def generate(
    n_cases: int, n_ids: int, n_links: int, seed: int = 1
) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    base_nodes = rng.permutation(n_ids).astype(np.int64)
    base_cases = rng.integers(0, n_cases, n_ids, dtype=np.int64)
    extra = n_links - n_ids
    pop = (n_ids * rng.random(extra) ** 3).astype(np.int64)  # heavy-tailed popularity
    case_idx = np.concatenate([base_cases, rng.integers(0, n_cases, extra, dtype=np.int64)])
    node_idx = np.concatenate([base_nodes, pop])
    return case_idx, node_idx


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", type=float, default=1.0, help="1.0 = 10 M ids, 20 M links")
    ap.add_argument("--engine", choices=["igraph", "scipy"], default="igraph")
    ap.add_argument("--new-cases", type=int, default=2000)
    ap.add_argument("--hub-k", type=int, default=50)
    args = ap.parse_args()

    n_ids = int(10_000_000 * args.scale)
    n_links = int(20_000_000 * args.scale)
    n_cases = int(4_000_000 * args.scale)
    t0 = time.perf_counter()
    case_idx, node_idx = generate(n_cases, n_ids, n_links)
    t_gen = time.perf_counter() - t0
    print(f"generated {n_cases:,} cases, {n_ids:,} identifiers, {n_links:,} links in {t_gen:.1f} s")

    t0 = time.perf_counter()
    comps = link_codes(
        case_idx, node_idx, n_cases, n_ids, HubRule(k=args.hub_k), engine=args.engine
    )
    t_link = time.perf_counter() - t0
    sizes = np.bincount(comps.case_component)
    print(
        f"clustering ({args.engine}): {t_link:.1f} s — {comps.n_components:,} components, "
        f"largest {sizes.max():,} cases, {int(comps.hub.sum()):,} hubs discounted "
        f"(threshold {comps.threshold}), peak RSS so far {peak_rss_gb():.2f} GB"
    )
    print(f"  rule: {comps.rule_text}")
    del case_idx, node_idx

    t0 = time.perf_counter()
    rng = np.random.default_rng(2)
    keys = rng.permutation(np.arange(1, n_ids + 1, dtype=np.uint64) * np.uint64(2654435761))
    linker = IncrementalLinker([f"c{i}" for i in range(n_cases)], keys, comps)
    t_build = time.perf_counter() - t0
    print(f"incremental linker built in {t_build:.1f} s")

    times = []
    merges = 0
    for j in range(args.new_cases):
        named = [int(k) for k in keys[rng.integers(0, n_ids, 3)]] + [int(1 + 2 * j)]
        t = time.perf_counter()
        r = linker.add_case(f"new{j}", named)
        times.append((time.perf_counter() - t) * 1000)
        merges += r.merged
    times.sort()
    p99 = times[int(0.99 * (len(times) - 1))]
    print(
        f"incremental: {len(times)} new cases, p50 {statistics.median(times):.3f} ms, "
        f"p99 {p99:.3f} ms, max {times[-1]:.3f} ms ({merges} merged clusters)"
    )
    total_ok = t_link <= 60 and peak_rss_gb() <= 4 and p99 <= 50
    print(
        f"peak RSS {peak_rss_gb():.2f} GB; targets (≤60 s, ≤4 GB, ≤50 ms): {'met' if total_ok else 'NOT met'}"
    )


if __name__ == "__main__":
    main()
