"""Shipped simulator-trained number/mule models inside ``run_detectors``, training from simulator
output, GOV-DORMANT coverage and per-run dedupe."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pyarrow as pa
import pytest

from fanzha.detect.accounts.lake_model import DEFAULT_DIR as MULES_DIR
from fanzha.detect.findings import Finding, grade_for
from fanzha.detect.numbers.lake_model import DEFAULT_DIR as NUMBERS_DIR
from fanzha.detect.numbers.lake_model import (
    FEATURES,
    LakeModel,
    load_number_model,
    precision_threshold,
)
from fanzha.detect.runner import dedupe, run_detectors
from fanzha.domain.events import arrow_schema
from fanzha.store.lake import EventLake


@pytest.fixture(scope="module")
def tiny_sim(tmp_path_factory) -> Path:
    """A 2-day tiny region with an unseen seed, registers added as the demo does."""
    from fanzha.detect.features.simlake import add_registers
    from fanzha.sim.engine import SimConfig
    from fanzha.sim.output import generate

    d = tmp_path_factory.mktemp("sim") / "tiny"
    generate(SimConfig(preset="tiny", days=2, seed=23, start=date(2026, 11, 1)), d)
    add_registers(d)
    return d


@pytest.mark.parametrize("d", [NUMBERS_DIR, MULES_DIR])
def test_shipped_models_carry_provenance(d: Path) -> None:
    meta = json.loads((d / "metadata.json").read_text(encoding="utf-8"))
    trained = meta["trained_on"]
    assert "fanzha sim generate" in trained["data_generation"]
    assert trained["seed"] == 101 and trained["min_precision"] >= 0.9
    assert 0.0 < meta["threshold"] < 1.0
    assert meta["metrics"]["oof_precision"] >= 0.9
    assert load_number_model() is load_number_model()  # loaded once


def test_run_detectors_finds_fraud_numbers_and_mules_on_unseen_seed(tiny_sim: Path) -> None:
    from fanzha.detect.features.simlake import (
        MULE_LABELS,
        account_labels,
        number_labels,
        window,
    )

    start, days = window(tiny_sim)
    until = start + timedelta(days=days)
    found = run_detectors(EventLake(tiny_sim / "lake"), until - timedelta(days=7), until, until)
    nl = number_labels(tiny_sim).set_index("number")["label"]
    nums = {f.entity_value for f in found if f.detector == "numbers.model"}
    assert nums, "the number model flagged nothing"
    labels = nl.reindex(list(nums)).fillna("normal")
    assert (labels == "fraud").mean() >= 0.8
    assert (labels == "hard_negative").sum() == 0
    al = account_labels(tiny_sim).set_index("account")["label"]
    accts = {f.entity_value for f in found if f.detector == "accounts.model"}
    assert accts, "the mule model flagged nothing"
    assert al.reindex(list(accts)).isin(MULE_LABELS).mean() >= 0.8
    f = next(f for f in found if f.detector == "numbers.model")
    assert f.entity_kind == "number" and f.grade == grade_for(f.score) and len(f.reasons) >= 2
    assert all("\u4e00" <= r[0] <= "\u9fff" for r in f.reasons)  # Chinese reasons
    # one finding per detector, rule and entity
    keys = [(f.detector, f.rule_id, f.entity_value) for f in found]
    assert len(keys) == len(set(keys))


def test_train_tiny_models_in_tmp(tiny_sim: Path, tmp_path: Path) -> None:
    from fanzha.detect.features.simlake import train_sim_models

    rep = train_sim_models(
        tiny_sim, [24, 48], tmp_path / "n", tmp_path / "m", rounds=40, provenance={"seed": 23}
    )
    assert rep["numbers"]["positives"] > 0 and rep["mules"]["positives"] > 0
    m = LakeModel.load(tmp_path / "n")
    assert m.features == FEATURES and m.meta["trained_on"]["seed"] == 23
    assert LakeModel.load(tmp_path / "m").meta["metrics"]["rows"] == rep["mules"]["rows"]


def test_precision_threshold_keeps_precision() -> None:
    import numpy as np

    y = np.array([1, 1, 1, 0, 1, 0, 0, 0, 0, 0])
    p = np.array([0.99, 0.95, 0.9, 0.85, 0.8, 0.3, 0.2, 0.1, 0.05, 0.01])
    thr = precision_threshold(y, p, 0.9)
    pred = p >= thr
    assert (y[pred] == 1).mean() >= 0.9 and pred.sum() == 3
    assert 0.85 < thr <= 0.9
    assert precision_threshold(np.array([0, 0]), np.array([0.9, 0.1]), 0.9) == 1.0


T = datetime(2026, 6, 1, 9, tzinfo=UTC)


def _table(kind: str, rows: list[dict]) -> pa.Table:
    schema = arrow_schema(kind)
    out = []
    for i, r in enumerate(rows):
        base = {"event_id": f"{kind}-{i}", "source_org": "bank-1", **r}
        out.append({f.name: base.get(f.name) for f in schema})
    return pa.Table.from_pylist(out, schema=schema)


def _opening(account: str, when: datetime) -> dict:
    return {
        "event_time": when,
        "account": account,
        "person_id": f"P-{account}",
        "institution": "ICBC",
        "account_class": "II",
    }


def test_dormant_only_judges_accounts_the_data_covers(tmp_path: Path) -> None:
    lake = EventLake(tmp_path / "lake")
    lake.append(
        "account_opening",
        _table(
            "account_opening",
            [
                _opening("OLD-IDLE", T - timedelta(days=900)),  # opened long before any data
                _opening("NEW-IDLE", T - timedelta(days=250)),  # inside coverage, never used
                _opening("NEW-USED", T - timedelta(days=240)),
                _opening("RECENT", T - timedelta(days=30)),  # 6 months not over yet
            ],
        ),
    )
    tx = [
        {
            "event_time": T - timedelta(days=260),
            "payer_account": "X1",
            "payee_account": "X2",
            "amount_fen": 100,
        },
        {
            "event_time": T - timedelta(days=200),
            "payer_account": "X1",
            "payee_account": "NEW-USED",
            "amount_fen": 100,
        },
    ]
    lake.append("transfer", _table("transfer", tx))
    found = run_detectors(lake, T - timedelta(days=7), T, T)
    dormant = [f for f in found if f.rule_id == "GOV-DORMANT"]
    assert [f.entity_value for f in dormant] == ["NEW-IDLE"]
    # a lake covering only the last week judges nobody
    short = EventLake(tmp_path / "short")
    short.append(
        "account_opening", _table("account_opening", [_opening("A", T - timedelta(days=900))])
    )
    short.append(
        "transfer",
        _table(
            "transfer",
            [
                {
                    "event_time": T - timedelta(days=3),
                    "payer_account": "B",
                    "payee_account": "C",
                    "amount_fen": 5,
                }
            ],
        ),
    )
    assert not [f for f in run_detectors(short, None, T, T) if f.rule_id == "GOV-DORMANT"]


def test_dedupe_merges_per_entity() -> None:
    def f(score: float, reason: str, value: str = "13800000000") -> Finding:
        return Finding(
            "number",
            value,
            "governance",
            score,
            grade_for(score),
            (reason,),
            (),
            T,
            rule_id="GOV-IOT-VOICE",
        )

    out = dedupe([f(0.9, "语音通话3次"), f(0.8, "发送短信2条"), f(0.8, "x", "139")])
    assert len(out) == 2
    top = next(x for x in out if x.entity_value == "13800000000")
    assert top.score == 0.9 and top.reasons == ("语音通话3次", "发送短信2条")
