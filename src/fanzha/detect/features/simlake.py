"""Simulator output as detector training/evaluation material.

``fanzha sim generate`` writes ``DIR/lake`` (events inside the simulated window) and
``DIR/truth``. Partners' real-name registers (numbers and accounts opened before the window) reach
the platform as SIM-issuance and account-opening records, as the demo pipeline ingests them; here
they are written once into the lake as one extra file per kind (``day=registers``), so detectors
see the same history they see in the demo. Labels come from the truth tables.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from fanzha.domain.events import arrow_schema

FRAUD_NUMBER = "fraud"
MULE_LABELS = ("mule", "cashout")


def truth(sim_dir: Path, name: str) -> pd.DataFrame:
    return pd.read_parquet(Path(sim_dir) / "truth" / f"{name}.parquet")


def window(sim_dir: Path) -> tuple[datetime, int]:
    """(start in UTC, days) of the simulated window, from summary.json or the call files."""
    import json

    s = json.loads((Path(sim_dir) / "summary.json").read_text(encoding="utf-8"))
    start = pd.Timestamp(date.fromisoformat(s["start"]), tz="Asia/Shanghai").tz_convert("UTC")
    return start.to_pydatetime(), int(s["days"])


def add_registers(sim_dir: Path) -> None:
    """Write the pre-window registers into ``DIR/lake`` (idempotent)."""
    sim_dir = Path(sim_dir)
    start, _ = window(sim_dir)
    start_local = pd.Timestamp(start).tz_convert("Asia/Shanghai")
    lake = sim_dir / "lake"
    n = truth(sim_dir, "numbers")
    issued = pd.to_datetime(n["issued_date"]).dt.tz_localize("Asia/Shanghai")
    keep = issued < start_local
    n, issued = n[keep], issued[keep]
    sims = pd.DataFrame(
        {
            "event_id": "reg-sim-" + n["number"],
            "source_org": "register-" + n["operator"],
            "event_time": issued,
            "number": n["number"],
            "person_id": n["person_id"],
            "operator": n["operator"],
            "card_type": n["card_type"],
            "outlet": n["outlet"],
        }
    )
    a = truth(sim_dir, "accounts")
    a = a[~a["is_external"].astype(bool)]
    opened = pd.to_datetime(a["opened_date"]).dt.tz_localize("Asia/Shanghai")
    keep = opened < start_local
    a, opened = a[keep], opened[keep]
    accs = pd.DataFrame(
        {
            "event_id": "reg-acc-" + a["account"],
            "source_org": "register-" + a["institution"],
            "event_time": opened,
            "account": a["account"],
            "person_id": a["person_id"],
            "institution": a["institution"],
            "account_class": a["account_class"],
            "bound_phone": a["bound_phone"],
            "outlet": a["outlet"],
        }
    )
    for kind, df in (("sim_issuance", sims), ("account_opening", accs)):
        schema = arrow_schema(kind)
        for f in schema.names:
            if f not in df.columns:
                df[f] = None
        d = lake / f"kind={kind}" / "day=registers"
        d.mkdir(parents=True, exist_ok=True)
        table = pa.Table.from_pandas(df[schema.names], preserve_index=False).cast(schema)
        pq.write_table(table, d / "part-registers.parquet")


def run_times(start: datetime, days: int, every_h: int = 12) -> list[datetime]:
    """The demo's detection times: every ``every_h`` hours after the start, up to the end."""
    out, t = [], start + timedelta(hours=every_h)
    while t <= start + timedelta(days=days):
        out.append(t)
        t += timedelta(hours=every_h)
    return out


def number_labels(sim_dir: Path) -> pd.DataFrame:
    """number → label (``fraud``/``hard_negative``/``normal``), role of the owner, gang."""
    n = truth(sim_dir, "numbers")[["number", "label", "person_id", "gang_id", "card_type"]]
    e = truth(sim_dir, "entities")
    roles = e[e["entity_kind"] == "person"].drop_duplicates("value").set_index("value")["role"]
    n["role"] = n["person_id"].map(roles).fillna("unknown")
    return n.drop(columns=["person_id"])


def account_labels(sim_dir: Path) -> pd.DataFrame:
    a = truth(sim_dir, "accounts")
    return a[["account", "label", "mule_layer", "mule_source", "account_kind", "gang_id"]]


def snapshot_frames(sim_dir: Path, hours: list[int]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Number and account feature rows as ``run_detectors`` computes them at each snapshot
    (``hours`` after the window start, 7-day look-back), with truth labels attached."""
    from fanzha.detect.accounts.lake_model import lake_account_features
    from fanzha.detect.numbers.lake_model import lake_number_features
    from fanzha.detect.runner import lake_relations, load_transfers
    from fanzha.engines.duck import connect
    from fanzha.store.lake import EventLake

    sim_dir = Path(sim_dir)
    start, _ = window(sim_dir)
    lake = EventLake(sim_dir / "lake")
    con = connect()
    nl = number_labels(sim_dir).set_index("number")
    al = account_labels(sim_dir).set_index("account")
    nums, accts = [], []
    for h in hours:
        until = start + timedelta(hours=h)
        rel, all_rel = lake_relations(lake, until - timedelta(days=7), until)
        N = lake_number_features(con, rel("call"), rel("sms"), all_rel("sim_issuance"), until)
        N["hour"] = h
        N["label"] = N["number"].map(nl["label"]).fillna("normal")
        N["role"] = N["number"].map(nl["role"]).fillna("unknown")
        nums.append(N)
        tx, openings = load_transfers(con, rel, all_rel)
        A = lake_account_features(tx, openings, until).reset_index(names="account")
        A["hour"] = h
        A["label"] = A["account"].map(al["label"]).fillna("normal")
        accts.append(A)
    return pd.concat(nums, ignore_index=True), pd.concat(accts, ignore_index=True)


def train_sim_models(
    sim_dir: Path,
    hours: list[int],
    numbers_out: Path,
    mules_out: Path,
    min_precision: float = 0.9,
    seed: int = 0,
    rounds: int = 300,
    provenance: dict | None = None,
    register_dropout: float = 0.3,
) -> dict:
    """Train the number and mule models on one simulated region; write both model directories."""
    from fanzha.detect.accounts.lake_model import FEATURES as ACCT_FEATURES
    from fanzha.detect.numbers.lake_model import FEATURES as NUM_FEATURES
    from fanzha.detect.numbers.lake_model import drop_registers, fit_lake_model

    cache_n = Path(sim_dir) / f"frames-numbers-{'_'.join(map(str, hours))}.parquet"
    cache_a = Path(sim_dir) / f"frames-accounts-{'_'.join(map(str, hours))}.parquet"
    if cache_n.exists() and cache_a.exists():
        N, A = pd.read_parquet(cache_n), pd.read_parquet(cache_a)
    else:
        N, A = snapshot_frames(sim_dir, hours)
        N.to_parquet(cache_n)
        A.to_parquet(cache_a)
    N = drop_registers(N, register_dropout, seed)
    report = {}
    yn = (N["label"] == FRAUD_NUMBER).to_numpy(dtype=int)
    nm, oof, metrics = fit_lake_model(
        N, yn, N["number"].to_numpy(), NUM_FEATURES, min_precision, seed, rounds
    )
    hard = (N["label"] == "hard_negative").to_numpy()
    metrics["oof_hard_negative_fpr"] = round(
        float((oof[hard] >= nm.threshold).mean()) if hard.any() else 0.0, 5
    )
    ya = A["label"].isin(MULE_LABELS).to_numpy(dtype=int)
    am, _, ametrics = fit_lake_model(
        A, ya, A["account"].to_numpy(), ACCT_FEATURES, min_precision, seed, rounds
    )
    for model, out, m, kind in (
        (nm, numbers_out, metrics, "numbers"),
        (am, mules_out, ametrics, "mules"),
    ):
        model.meta["trained_on"] = {
            **(provenance or {}),
            "snapshot_hours": hours,
            "min_precision": min_precision,
            "register_dropout": register_dropout if kind == "numbers" else None,
            "labels": "truth/numbers.parquet label == fraud"
            if kind == "numbers"
            else "truth/accounts.parquet label in (mule, cashout)",
        }
        model.save(Path(out))
        report[kind] = m
    report["numbers"]["rows_by_label"] = N["label"].value_counts().to_dict()
    report["mules"]["rows_by_label"] = A["label"].value_counts().to_dict()
    return report
