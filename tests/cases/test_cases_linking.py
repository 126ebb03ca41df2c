"""Linking, hub discounting, incremental merges and key node ranking."""

from __future__ import annotations

import time

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import adjusted_rand_score

from fanzha.cases import clusters, linking, synthetic
from fanzha.cases.incremental import IncrementalLinker


def _inc(rows: list[tuple[str, str, str]]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "case_id": c,
                "kind": k,
                "key": synthetic.fake_key(k, v),
                "masked": v,
                "via": "identifier",
            }
            for c, k, v in rows
        ]
    )


@pytest.fixture(scope="module")
def world() -> synthetic.World:
    return synthetic.generate(n_gangs=10, victims_per_gang=(8, 30), seed=11)


def test_shared_identifier_links_cases_and_keeps_evidence() -> None:
    inc = _inc(
        [
            ("c1", "phone", "17100000001"),
            ("c2", "phone", "17100000001"),
            ("c2", "account", "6222000011112222"),
            ("c3", "account", "6222000011112222"),
            ("c4", "phone", "13900000000"),
        ]
    )
    res = linking.link_frame(["c1", "c2", "c3", "c4"], inc)
    comp = res.component_of()
    assert comp["c1"] == comp["c2"] == comp["c3"] != comp["c4"]
    links = res.links()
    pairs = {(r.case_a, r.case_b, r.kind) for r in links.itertuples()}
    assert pairs == {("c1", "c2", "phone"), ("c2", "c3", "account")}
    assert (links["weight"] > 0).all()


def test_hub_is_discounted_and_rule_is_visible(world: synthetic.World) -> None:
    inc = linking.incidence_from(world.identifiers, world.flows)
    res = linking.link_frame(world.cases["case_id"], inc, linking.HubRule(k=50))
    hubs = res.hubs()
    assert set(hubs["key"]) == world.hub_keys
    assert all("阈值 50" in r for r in hubs["hub_reason"])
    assert "k=50" in res.rule_text
    # without discounting, the merchant glues every gang into one blob
    blob = linking.link_frame(world.cases["case_id"], inc, linking.HubRule(k=10_000))
    assert blob.components.n_components == 1
    comp = res.component_of()
    truth = [world.gang_of_case[c] for c in comp]
    assert adjusted_rand_score(truth, list(comp.values())) == pytest.approx(1.0)
    # hubs never appear as link evidence
    assert not set(res.links()["key"]) & world.hub_keys


def test_known_hub_list_discounts_below_threshold() -> None:
    inc = _inc([("a", "app", "com.popular"), ("b", "app", "com.popular"), ("c", "app", "x")])
    key = synthetic.fake_key("app", "com.popular")
    res = linking.link_frame(["a", "b", "c"], inc, linking.HubRule(known_hubs=frozenset({key})))
    comp = res.component_of()
    assert comp["a"] != comp["b"]
    assert res.hubs()["hub_reason"].tolist() == ["已知枢纽名单"]


def test_quantile_threshold_used_only_with_enough_tail() -> None:
    rule = linking.HubRule(k=5, quantile=0.99, min_tail=10)
    small = np.array([1] * 50 + [400])
    assert rule.threshold(small) == (5, None)
    rng = np.random.default_rng(0)
    big = rng.zipf(1.6, size=20_000).clip(max=5_000)
    thr, q = rule.threshold(big)
    assert q is not None and thr == max(5, int(np.ceil(q)))
    assert thr > 5


def _linker(res: linking.LinkResult) -> IncrementalLinker:
    keys = linking.key_to_u64(res.nodes["key"].tolist())
    comps = res.components
    ids = []
    for label in range(comps.n_components):
        members = res.case_ids[comps.case_component == label]
        ids.append(clusters.cluster_id(members))
    return IncrementalLinker(res.case_ids.tolist(), keys, comps, ids)


def test_new_case_joining_two_clusters_merges_them() -> None:
    inc = _inc(
        [
            ("a1", "phone", "17100000001"),
            ("a2", "phone", "17100000001"),
            ("a3", "phone", "17100000001"),
            ("b1", "account", "6222000011112222"),
            ("b2", "account", "6222000011112222"),
            ("z", "url", "https://alone.example/"),
        ]
    )
    res = linking.link_frame(["a1", "a2", "a3", "b1", "b2", "z"], inc)
    lk = _linker(res)
    ida, idb = lk.cluster_of("a1"), lk.cluster_of("b1")
    assert ida != idb
    # a case naming only one cluster's number attaches without merging
    r1 = lk.add_case("n1", [synthetic.fake_key("phone", "17100000001")])
    assert r1.joined == [ida] and not r1.merged and r1.cluster_id == ida
    # a case naming both clusters' identifiers merges them; the bigger cluster's id survives
    r2 = lk.add_case(
        "n2",
        [
            synthetic.fake_key("account", "6222000011112222"),
            synthetic.fake_key("phone", "17100000001"),
        ],
    )
    assert r2.merged and set(r2.joined) == {ida, idb}
    assert r2.cluster_id == ida
    assert lk.cluster_of("b2") == lk.cluster_of("a1") == ida
    assert lk.cluster_of("z") not in (ida, idb)
    # a case with only new identifiers starts its own cluster
    r3 = lk.add_case("n3", [synthetic.fake_key("phone", "17999999999")])
    assert r3.joined == [] and r3.new_nodes == 1 and r3.cluster_id == clusters.cluster_id(["n3"])
    with pytest.raises(ValueError):
        lk.add_case("n3", [])


def test_incremental_respects_hubs_and_is_fast(world: synthetic.World) -> None:
    inc = linking.incidence_from(world.identifiers, world.flows)
    res = linking.link_frame(world.cases["case_id"], inc, linking.HubRule(k=50))
    lk = _linker(res)
    hub = next(iter(world.hub_keys))
    t0 = time.perf_counter()
    r = lk.add_case("new", [hub, synthetic.fake_key("phone", "18800000000")])
    elapsed = time.perf_counter() - t0
    assert r.hubs_skipped == [hub] and r.joined == []
    assert elapsed < 0.05
    # the same case through a gang's boss account attaches to that gang's cluster
    gang_case = next(c for c, g in world.gang_of_case.items() if g == 3)
    boss = next(iter(world.leader_accounts[3]))
    r2 = lk.add_case("new2", [boss])
    assert r2.joined == [lk.cluster_of(gang_case)]


def test_incremental_matches_full_relink(world: synthetic.World) -> None:
    """Adding cases one by one gives the same partition as linking them all at once."""
    inc = linking.incidence_from(world.identifiers, world.flows)
    all_cases = world.cases["case_id"].tolist()
    held = all_cases[::7]
    base = [c for c in all_cases if c not in set(held)]
    res = linking.link_frame(base, inc, linking.HubRule(k=50))
    lk = _linker(res)
    lk.threshold = res.components.threshold
    for c in held:
        keys = inc.loc[inc["case_id"] == c, "key"].unique().tolist()
        lk.add_case(c, keys)
    full = linking.link_frame(all_cases, inc, linking.HubRule(k=50)).component_of()
    inc_labels = [lk.cluster_of(c) for c in all_cases]
    assert adjusted_rand_score([full[c] for c in all_cases], inc_labels) == pytest.approx(1.0)


def test_key_nodes_rank_leader_accounts_and_sim_banks(world: synthetic.World) -> None:
    inc = linking.incidence_from(world.identifiers, world.flows)
    res = linking.link_frame(world.cases["case_id"], inc, linking.HubRule(k=50))
    out = clusters.build_clusters(
        clusters.ClusterInputs(world.cases, world.identifiers, world.flows), res
    )
    assert len(out) == 10
    for c in out:
        gang = {world.gang_of_case[x] for x in c["cases"]}
        assert len(gang) == 1
        leaders = world.leader_accounts[gang.pop()]
        collectors = c["key_nodes"]["collector"]
        # the leader's account collects every victim's money after three hops: ranked first
        assert collectors[0]["key"] in leaders
        assert collectors[0]["victims"] == len(c["cases"])
        assert collectors[0]["amount_fen"] >= collectors[1]["amount_fen"]
        assert "归集" in collectors[0]["reason"]
        dens = c["key_nodes"]["den"]
        assert dens[0]["kind"] == "device" and dens[0]["sim_bank"]
        cash = c["key_nodes"]["cash_out"]
        assert cash and all("离开追踪链路" in x["reason"] for x in cash)
        # hubs are listed with their rule, never ranked
        ranked = {x["key"] for items in c["key_nodes"].values() for x in items}
        assert not ranked & world.hub_keys
        assert c["hubs"] and c["hub_rule"].startswith("枢纽规则")
        assert c["loss_fen"] == int(
            world.cases.loc[world.cases["case_id"].isin(c["cases"]), "loss_fen"].sum()
        )


@pytest.mark.parametrize("shape", ["random", "path"])
def test_contracted_igraph_components_equal_scipy(shape: str) -> None:
    rng = np.random.default_rng(4)
    n = 3_000
    if shape == "path":  # a long chain needs more hooking rounds than contract() runs
        perm = rng.permutation(n)
        edges = np.column_stack([perm[:-1], perm[1:]])[: n // 2]
    else:
        edges = rng.integers(0, n, size=(2_000, 2))
    a = linking.connected_components(n, edges, engine="igraph")
    b = linking.connected_components(n, edges, engine="scipy")
    assert adjusted_rand_score(a, b) == pytest.approx(1.0)
    assert len(set(a.tolist())) == len(set(b.tolist()))


def test_big_gangs_collection_account_is_not_a_hub() -> None:
    """Degree alone would discount a large gang's 金主 account; the bridge test keeps it because
    its cases stay linked without it, while the merchant's cases fall apart."""
    w = synthetic.generate(n_gangs=4, victims_per_gang=(60, 80), seed=2)
    inc = linking.incidence_from(w.identifiers, w.flows)
    res = linking.link_frame(w.cases["case_id"], inc, linking.HubRule(k=50))
    leaders = set().union(*w.leader_accounts.values())
    nodes = res.nodes.set_index("key")
    assert (nodes.loc[list(leaders), "degree"] > 50).all()
    assert not nodes.loc[list(leaders), "hub"].any()
    assert set(res.hubs()["key"]) == w.hub_keys
    assert all("最大关联组仅占" in r for r in res.hubs()["hub_reason"])
    degree_only = linking.link_frame(
        w.cases["case_id"], inc, linking.HubRule(k=50, bridge_share=None)
    )
    assert leaders <= set(degree_only.hubs()["key"])
    comp = res.component_of()
    assert adjusted_rand_score([w.gang_of_case[c] for c in comp], list(comp.values())) == 1.0
