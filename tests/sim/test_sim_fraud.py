"""The fraud ecosystem: victims by age, gang infrastructure, mule network shapes."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date

import numpy as np
import pyarrow.compute as pc
import pyarrow.parquet as pq

from fanzha.sim import fraud
from fanzha.sim.world import build_world


def test_victims_by_age_and_gang_infrastructure():
    w = build_world(3000, seed=9, start=date(2026, 11, 1), days=5)
    s = fraud.build_fraud(w, np.random.default_rng(1), n_gangs=5)
    age = w.people["age"].astype(float)
    mean_age = {k: float((p * age).sum()) for k, p in s.victim_p.items()}
    assert mean_age["credit"] < mean_age["shuadan"] < mean_age["authority"]
    assert mean_age["game"] < 30 < mean_age["authority"]
    for person in s.person_roles:
        assert all(p[person] == 0 for p in s.victim_p.values())
    assert {t for g in s.gangs for t in g.types} == set(fraud.PLAYBOOKS)
    nm = w.numbers
    gang_nums = np.flatnonzero(nm["gang"] >= 0)
    sources = Counter(fraud.SIM_SOURCES[i] for i in nm["source"][gang_nums])
    assert {"sold_real_name", "virtual", "foreign"} <= set(sources)
    # callers swap many numbers on one handset; SIM banks host many numbers on one IMEI
    per_dev = Counter(nm["device"][gang_nums].tolist())
    assert max(per_dev.values()) >= 3
    # sold cards are registered to sellers, who are ordinary people with real IDs
    sellers = set(s.sellers.tolist())
    owners = nm["owner"][gang_nums]
    assert set(owners[owners >= 0].tolist()) <= sellers
    ac = w.accounts
    mules = np.flatnonzero(ac["gang"] >= 0)
    msrc = Counter(fraud.MULE_SOURCES[i] for i in ac["source"][mules])
    assert {"bought", "new_bulk", "dormant", "cashout"} <= set(msrc)
    bulk = mules[ac["source"][mules] == 2]
    assert len(set(ac["outlet"][bulk].tolist())) <= 3  # a few lax outlets
    for g in s.gangs:
        assert len(g.layers) == 5 and all(g.layers)
        assert g.domains and g.apps and len(set(g.blast)) > 5


def test_layering_fans_out_and_in(tiny_run):
    out, _ = tiny_run
    ev = pq.read_table(out / "truth" / "events.parquet")
    tr = ev.filter(pc.equal(ev["kind"], "transfer")).to_pylist()
    kids = Counter(r["parent_event_id"] for r in tr if r["stage"] == "layering")
    assert max(kids.values()) >= 2  # fan-out
    assert any(r["stage"] == "test_transfer" and r["amount_fen"] <= 1000 for r in tr)
    lake = pq.ParquetDataset(out / "lake" / "kind=transfer").read()
    payee = dict(zip(lake["event_id"].to_pylist(), lake["payee_account"].to_pylist(), strict=True))
    victims_per_account = defaultdict(set)
    for r in tr:
        if r["stage"] == "victim_payment":
            victims_per_account[payee[r["event_id"]]].add(r["victim_id"])
    assert max(len(v) for v in victims_per_account.values()) >= 2  # fan-in
    methods = {r["cashout_method"] for r in tr if r["stage"] == "cashout"}
    assert len(methods) >= 2
