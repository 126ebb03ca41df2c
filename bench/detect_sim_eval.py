"""Behaviour detectors on simulator regions the models never saw (issue 6).

    .venv/bin/python bench/detect_sim_eval.py [--preset city] [--seeds 1,7] [--every 12]

For each seed: generate the region (cached under --sim-root), add the real-name registers as the
demo does, call ``run_detectors`` every ``--every`` simulated hours with a 7-day look-back (as the
demo pipeline does) and compare the union of findings with the truth tables:
fraud numbers (precision, recall over fraud numbers that called at all, false-positive rate on
hard-negative numbers — couriers, riders, customer service, sales — and on ordinary numbers,
hours from a number's first call to its first finding) and mule accounts (mule + cash-out accounts).
Also the run time of each ``run_detectors`` call. The shipped models were trained on seed 101.
"""

from __future__ import annotations

import argparse
import json
import time
from datetime import timedelta
from pathlib import Path

import numpy as np
import pandas as pd


def _prf(flagged: set, positives: set, universe_neg: set) -> dict:
    tp = len(flagged & positives)
    return {
        "flagged": len(flagged),
        "precision": round(tp / len(flagged), 4) if flagged else None,
        "recall": round(tp / len(positives), 4) if positives else None,
        "fp": len(flagged & universe_neg),
    }


def evaluate(sim_dir: Path, every_h: int) -> dict:
    from fanzha.detect.features.simlake import (
        MULE_LABELS,
        account_labels,
        add_registers,
        number_labels,
        run_times,
        window,
    )
    from fanzha.detect.runner import run_detectors
    from fanzha.engines.duck import connect
    from fanzha.store.lake import EventLake

    add_registers(sim_dir)
    start, days = window(sim_dir)
    lake = EventLake(sim_dir / "lake")
    con = connect()
    first_call = (
        con.sql(
            f"SELECT caller AS number, min(event_time) AS t FROM {lake.relation_sql('call')} "
            "GROUP BY caller"
        )
        .df()
        .set_index("number")["t"]
    )
    active_tx = set(
        con.sql(
            f"SELECT payer_account AS a FROM {lake.relation_sql('transfer')} UNION "
            f"SELECT payee_account FROM {lake.relation_sql('transfer')}"
        ).df()["a"]
    )
    nl = number_labels(sim_dir)
    called = set(first_call.index)
    fraud = set(nl.loc[nl.label == "fraud", "number"]) & called
    hard = set(nl.loc[nl.label == "hard_negative", "number"]) & called
    normal = set(nl.loc[nl.label == "normal", "number"]) & called
    al = account_labels(sim_dir)
    mules = set(al.loc[al.label.isin(MULE_LABELS), "account"]) & active_tx
    non_mules = set(al.loc[~al.label.isin(MULE_LABELS), "account"]) & active_tx

    first_found: dict[tuple[str, str], pd.Timestamp] = {}
    seconds, counts = [], {}
    for t in run_times(start, days, every_h):
        t0 = time.perf_counter()
        found = run_detectors(lake, t - timedelta(days=7), t, t)
        seconds.append(time.perf_counter() - t0)
        for f in found:
            key = f"{f.detector}:{f.rule_id or ''}:{f.entity_kind}"
            counts[key] = counts.get(key, 0) + 1
            k = (f.detector, f.entity_kind, f.entity_value)
            first_found.setdefault(k, pd.Timestamp(t))

    def flagged(kind: str, detectors: tuple[str, ...] | None = None) -> set:
        return {
            v for (d, k, v) in first_found if k == kind and (detectors is None or d in detectors)
        }

    out: dict = {"runs": len(seconds), "findings_by_detector_rule": counts}
    out["run_seconds"] = {
        "mean": round(float(np.mean(seconds)), 2),
        "max": round(float(np.max(seconds)), 2),
        "last_full_window": round(seconds[-1], 2),
    }
    out["positives"] = {
        "fraud_numbers_calling": len(fraud),
        "hard_negative_numbers_calling": len(hard),
        "normal_numbers_calling": len(normal),
        "mule_accounts_active": len(mules),
        "other_accounts_active": len(non_mules),
    }
    for name, dets in (
        ("model", ("numbers.model",)),
        ("rules", ("numbers.rules",)),
        ("governance", ("governance",)),
        ("all", None),
    ):
        fl = flagged("number", dets)
        r = _prf(fl, fraud, hard | normal)
        r["hard_negative_fpr"] = round(len(fl & hard) / max(len(hard), 1), 5)
        r["hard_negative_fp"] = len(fl & hard)
        r["normal_fpr"] = round(len(fl & normal) / max(len(normal), 1), 6)
        out[f"numbers_{name}"] = r
    # how early: first finding of any number detector minus the number's first call
    firsts: dict[str, pd.Timestamp] = {}
    for (_d, k, v), t in first_found.items():
        if k == "number" and v in fraud and (v not in firsts or t < firsts[v]):
            firsts[v] = t
    lag = np.array(
        [(firsts[v] - pd.Timestamp(first_call[v])).total_seconds() / 3600 for v in firsts]
    )
    if len(lag):
        out["numbers_hours_first_call_to_finding"] = {
            "median": round(float(np.median(lag)), 1),
            "p90": round(float(np.quantile(lag, 0.9)), 1),
            "within_12h": round(float((lag <= 12).mean()), 3),
            "within_24h": round(float((lag <= 24).mean()), 3),
            "note": f"runs every {every_h} h, so lag includes up to {every_h} h of waiting",
        }
    for name, dets in (
        ("model", ("accounts.model",)),
        ("typologies", ("accounts.typologies",)),
        ("rules_3008", ("accounts.rules",)),
        ("all_account_detectors", ("accounts.model", "accounts.typologies", "accounts.rules")),
    ):
        fl = flagged("account", dets)
        r = _prf(fl, mules, non_mules)
        r["fpr_other_active"] = round(len(fl & non_mules) / max(len(non_mules), 1), 6)
        out[f"accounts_{name}"] = r
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--preset", default="city")
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--days", type=int, default=7)
    ap.add_argument("--seeds", default="1,7")
    ap.add_argument("--every", type=int, default=12, help="hours between detector runs")
    ap.add_argument("--sim-root", type=Path, default=Path("/tmp/fanzha-sim"))
    a = ap.parse_args()

    from datetime import date

    from fanzha.detect.numbers.lake_model import load_number_model
    from fanzha.sim.engine import SimConfig
    from fanzha.sim.output import generate

    m = load_number_model()
    print("number model trained on:", (m.meta.get("trained_on") if m else None))
    results = {}
    for seed in [int(s) for s in a.seeds.split(",")]:
        if seed == 101:
            print("warning: seed 101 is the training seed")
        d = a.sim_root / f"{a.preset}-{a.scale}-{a.days}d-seed{seed}"
        if not (d / "summary.json").exists():
            t0 = time.perf_counter()
            cfg = SimConfig(
                preset=a.preset, scale=a.scale, days=a.days, seed=seed, start=date(2026, 11, 1)
            )
            generate(cfg, d)
            print(f"generated {d} in {time.perf_counter() - t0:.0f} s")
        results[seed] = evaluate(d, a.every)
        print(f"seed {seed}:", json.dumps(results[seed], ensure_ascii=False, indent=1))
    print("summary (numbers all detectors / accounts all detectors):")
    for seed, r in results.items():
        n, ac = r["numbers_all"], r["accounts_all_account_detectors"]
        print(
            f"  seed {seed}: numbers P={n['precision']} R={n['recall']} "
            f"hard-neg FPR={n['hard_negative_fpr']} | mules P={ac['precision']} R={ac['recall']} "
            f"| run mean {r['run_seconds']['mean']} s max {r['run_seconds']['max']} s"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
