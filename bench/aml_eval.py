"""IBM AMLworld laundering attempts embedded in simulated normal traffic: attempt recall and the
false-positive rate over normal accounts of the typology + 3006/3007/3008 detectors.

Background (numpy): people with salaries from employers, card spending at merchants, P2P transfers
between friends, rent to private landlords (several tenants → fan-in), shared-bill (AA) repayments,
small self-employed shops paid by many customers who then pay suppliers, parents supporting
children; merchants and employers are business accounts known from KYC. Each IBM attempt
(370, 8 typologies) is laid over randomly chosen existing people (80 %) or fresh accounts (20 %),
its time offsets kept and its start placed at random in the month; amounts are read as yuan.

    .venv/bin/python bench/aml_eval.py [--people 20000] [--seed 1]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from fanzha.detect.accounts.mule_model import MuleModel, signal_table  # noqa: E402


def datasets_dir() -> Path:
    import os

    return Path(os.environ.get("FANZHA_DATASETS", ROOT.parent / "shared" / "datasets"))


T0 = pd.Timestamp("2026-03-01T00:00:00Z").value // 10**9
DAYS = 30


def background(n_people: int, rng: np.random.Generator) -> tuple[pd.DataFrame, set[str]]:
    people = np.array([f"P{i:06d}" for i in range(n_people)])
    merchants = np.array([f"M{i:04d}" for i in range(max(50, n_people // 40))])
    employers = np.array([f"E{i:04d}" for i in range(max(10, n_people // 200))])
    cols: dict[str, list] = {"payer": [], "payee": [], "yuan": [], "t": [], "channel": []}

    def add(payer, payee, yuan, t, channel="mobile_banking"):
        n = len(payer)
        cols["payer"].append(np.asarray(payer))
        cols["payee"].append(np.asarray(payee))
        cols["yuan"].append(np.asarray(yuan, dtype=float))
        cols["t"].append(np.asarray(t, dtype=float))
        cols["channel"].append(np.full(n, channel))

    day = 86_400.0
    # salary on the 10th, from the person's employer
    emp = rng.choice(employers, n_people)
    add(
        emp, people, rng.lognormal(9.0, 0.5, n_people), 9 * day + rng.uniform(0, 8 * 3600, n_people)
    )
    # spending at merchants
    k = rng.poisson(30, n_people)
    who = np.repeat(people, k)
    add(
        who,
        rng.choice(merchants, len(who)),
        rng.lognormal(4.3, 1.0, len(who)),
        rng.uniform(0, DAYS * day, len(who)),
        "merchant",
    )
    # friends (communities of 50) and P2P transfers, 10 % of them large
    comm = np.arange(n_people) // 50
    k = rng.poisson(3, n_people)
    src = np.repeat(np.arange(n_people), k)
    dst = comm[src] * 50 + rng.integers(0, 50, len(src))
    dst = np.minimum(dst, n_people - 1)
    amt = np.where(
        rng.random(len(src)) < 0.1,
        rng.uniform(2000, 20000, len(src)),
        rng.lognormal(5.5, 0.8, len(src)),
    )
    ok = src != dst
    add(people[src[ok]], people[dst[ok]], amt[ok], rng.uniform(0, DAYS * day, ok.sum()))
    # rent: 40 % of people pay a private landlord (1-6 tenants) on the 1st-5th
    tenants = np.flatnonzero(rng.random(n_people) < 0.4)
    landlords = rng.choice(n_people, max(1, len(tenants) // 3))
    ll = rng.choice(landlords, len(tenants))
    add(
        people[tenants],
        people[ll],
        rng.uniform(1500, 4500, len(tenants)),
        rng.uniform(0, 5 * day, len(tenants)),
    )
    # shared bills: 5 % receive 3-8 small repayments within an hour
    hosts = np.flatnonzero(rng.random(n_people) < 0.05)
    for h in hosts:
        m = rng.integers(3, 9)
        t = rng.uniform(0, DAYS * day)
        fr = np.minimum(comm[h] * 50 + rng.integers(0, 50, m), n_people - 1)
        add(people[fr], np.full(m, people[h]), rng.uniform(30, 200, m), t + rng.uniform(0, 3600, m))
    # self-employed shops on personal accounts: many customers, then pay suppliers
    shops = np.flatnonzero(rng.random(n_people) < 0.02)
    for s_ in shops:
        m = rng.integers(20, 100)
        cust = rng.choice(n_people, m)
        amt = rng.uniform(20, 500, m)
        add(people[cust], np.full(m, people[s_]), amt, rng.uniform(0, DAYS * day, m))
        sup = rng.choice(n_people, rng.integers(1, 3))
        add(
            np.full(len(sup), people[s_]),
            people[sup],
            np.full(len(sup), amt.sum() / len(sup) * 0.7),
            rng.uniform(20 * day, DAYS * day, len(sup)),
        )
    # parents support children monthly
    par = np.flatnonzero(rng.random(n_people) < 0.1)
    kid = np.minimum(par + 1, n_people - 1)
    add(
        people[par],
        people[kid],
        rng.uniform(1000, 5000, len(par)),
        rng.uniform(0, DAYS * day, len(par)),
    )
    # cash withdrawals at ATMs
    k = rng.poisson(1, n_people)
    who = np.repeat(people, k)
    add(
        who,
        np.full(len(who), "ATM-CASH"),
        rng.uniform(100, 3000, len(who)),
        rng.uniform(0, DAYS * day, len(who)),
        "atm",
    )
    df = pd.DataFrame({c: np.concatenate(v) for c, v in cols.items()})
    df["label"] = -1
    return df, set(merchants) | set(employers) | {"ATM-CASH"}


def embed_patterns(bg: pd.DataFrame, n_people: int, rng: np.random.Generator) -> pd.DataFrame:
    f = (
        datasets_dir()
        / "transactions"
        / "ibm_aml_hismall"
        / "hi_small_laundering_patterns_flat.csv"
    )
    p = pd.read_csv(
        f, dtype={"from_bank": str, "to_bank": str, "from_account": str, "to_account": str}
    )
    p["src"] = p.from_bank + ":" + p.from_account
    p["dst"] = p.to_bank + ":" + p.to_account
    p["ts"] = pd.to_datetime(p.timestamp).astype("int64") // 10**9
    accts = pd.unique(pd.concat([p.src, p.dst]))
    old = rng.random(len(accts)) < 0.8
    chosen = rng.choice(n_people, len(accts), replace=False)
    mapping = {a: (f"P{chosen[i]:06d}" if old[i] else f"N{i:06d}") for i, a in enumerate(accts)}
    rows = []
    for pid, g in p.groupby("pattern_id"):
        start = rng.uniform(0, (DAYS - 9) * 86_400.0)
        rel = g.ts - g.ts.min()
        rows.append(
            pd.DataFrame(
                {
                    "payer": g.src.map(mapping).to_numpy(),
                    "payee": g.dst.map(mapping).to_numpy(),
                    "yuan": g.amount_paid.to_numpy(),
                    "t": start + rel.to_numpy(),
                    "channel": "online_banking",
                    "label": pid,
                    "family": g.pattern_family.iloc[0],
                }
            )
        )
    return pd.concat(rows, ignore_index=True)


def simulate(n_people: int, seed: int, half: int):
    """One month of traffic with the IBM attempts whose pattern_id % 2 == half."""
    rng = np.random.default_rng(seed)
    bg, business = background(n_people, rng)
    lp = embed_patterns(bg, n_people, rng)
    lp = lp[lp.label % 2 == half]
    tx = pd.concat([bg, lp], ignore_index=True)
    tx["amount_fen"] = np.maximum(1, (tx.yuan * 100).round()).astype("int64")
    tx["event_time"] = pd.to_datetime((T0 + tx.t) * 1e9, utc=True)
    tx["event_id"] = [f"t{i}" for i in range(len(tx))]
    F, reasons = signal_table(tx, business)
    pattern_accts = set(lp.payer) | set(lp.payee)
    y = F.index.isin(list(pattern_accts)).astype(int)
    return tx, lp, F, y, reasons


def attempt_recall(lp: pd.DataFrame, flagged: set[str]) -> pd.DataFrame:
    return lp.groupby("label").apply(
        lambda g: pd.Series(
            {"family": g.family.iloc[0], "hit": bool((set(g.payer) | set(g.payee)) & flagged)}
        ),
        include_groups=False,
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--people", type=int, default=20_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--fpr", type=float, default=0.0005, help="target FPR on the training month")
    args = ap.parse_args()
    t0 = time.perf_counter()
    # train: one simulated month with half of the IBM attempts; test: another month (other seed,
    # other background) with the other half. The threshold comes from the training month only.
    _, lp_tr, F_tr, y_tr, _ = simulate(args.people, args.seed, 0)
    t_sim = time.perf_counter() - t0
    model = MuleModel()
    model.fit(F_tr, y_tr, target_fpr=args.fpr, seed=args.seed)
    tx, lp, F, y, reasons = simulate(args.people, args.seed + 1000, 1)
    s = model.score(F)
    flagged = set(F.index[s >= model.threshold])
    normal = ~F.index.isin(list(set(lp.payer) | set(lp.payee)))
    fp = int((normal & (s >= model.threshold)).sum())
    per = attempt_recall(lp, flagged)
    print(
        f"test month: transfers {len(tx):,} (laundering {len(lp):,}), normal accounts "
        f"{int(normal.sum()):,}, attempts {len(per)}; one month simulated+detected in {t_sim:.0f}s"
    )
    print(
        f"model: attempt recall {per.hit.mean():.4f} at false-positive rate "
        f"{fp / normal.sum():.5f} ({fp} normal accounts flagged; threshold {model.threshold:.4f})"
    )
    print(
        per.groupby("family")
        .hit.agg(["mean", "size"])
        .rename(columns={"mean": "recall"})
        .to_string()
    )
    union = set(F.index[F["hit_kinds"] > 0])
    per_u = attempt_recall(lp, union)
    fp_u = int((normal & F.index.isin(list(union))).sum())
    print(
        f"rules only (any detector): attempt recall {per_u.hit.mean():.4f} at false-positive rate "
        f"{fp_u / normal.sum():.5f}"
    )
    ex = next((a for a in F.index[s >= model.threshold] if a in reasons), None)
    if ex:
        print(f"example reasons for {ex}: {'; '.join(reasons[ex])}")


if __name__ == "__main__":
    main()
