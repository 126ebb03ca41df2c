"""Incremental number features: a per-number state updated by batches of new call records.

After any sequence of batches the features equal :func:`number_sql.number_features` over all the
records seen (tested). Batches must arrive in time order per calling number (a record older than
that number's last seen call raises, because its inter-call gap would be wrong); late data is
handled by recomputing with the batch query.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from fanzha.detect.features.number_sql import FEATURE_COLUMNS, NIGHT_HOURS, SHORT_CALL_S

_NUM_COLS = ["out_calls", "short", "dur_sum", "night", "fwd", "iot", "gap_sum", "gap_sq", "gap_n"]


class NumberFeatureState:
    def __init__(self) -> None:
        self.num = pd.DataFrame(columns=[*_NUM_COLS, "last_ts"], dtype="float64")
        self.pairs = pd.Series(  # (caller, callee) → calls
            dtype="float64",
            index=pd.MultiIndex.from_arrays([[], []], names=["caller", "callee"]),
        )
        self.incoming = pd.Series(dtype="float64")  # callee → calls
        self.sets = {k: pd.DataFrame(columns=["number", k]) for k in ("cell", "city", "imei")}

    def update(self, batch: pa.Table | pd.DataFrame) -> None:
        df = batch.to_pandas() if isinstance(batch, pa.Table) else batch.copy()
        if df.empty:
            return
        ts = pd.to_datetime(df["event_time"], utc=True)
        df["ts"] = (ts - pd.Timestamp("1970-01-01", tz="UTC")) / pd.Timedelta(microseconds=1) / 1e6
        df = df.sort_values(["caller", "ts"], kind="stable")
        last = self.num["last_ts"].reindex(df["caller"]).to_numpy()
        first_of = ~df["caller"].duplicated().to_numpy()
        if np.any(first_of & (df["ts"].to_numpy() < np.nan_to_num(last, nan=-np.inf))):
            raise ValueError("call batch: records older than the state's last call; recompute")
        gap = df.groupby("caller", sort=False)["ts"].diff().to_numpy()
        gap = np.where(first_of, df["ts"].to_numpy() - last, gap)
        hr = (df["ts"].to_numpy() / 3600 + 8) % 24
        agg = (
            pd.DataFrame(
                {
                    "caller": df["caller"].to_numpy(),
                    "out_calls": 1.0,
                    "short": (df["duration_s"].to_numpy() < SHORT_CALL_S).astype(float),
                    "dur_sum": df["duration_s"].to_numpy(dtype=float),
                    "night": ((hr >= NIGHT_HOURS[0]) & (hr < NIGHT_HOURS[1])).astype(float),
                    "fwd": (df["direction"].astype(str).to_numpy() == "forwarded").astype(float),
                    "iot": (df["caller_card_type"].astype(str).to_numpy() == "iot").astype(float),
                    "gap_sum": np.nan_to_num(gap),
                    "gap_sq": np.nan_to_num(gap) ** 2,
                    "gap_n": np.isfinite(gap).astype(float),
                }
            )
            .groupby("caller")
            .sum()
        )
        new = self.num[_NUM_COLS].add(agg, fill_value=0.0)
        new["last_ts"] = df.groupby("caller")["ts"].max().combine_first(self.num["last_ts"])
        self.num = new
        self.pairs = self.pairs.add(
            df.groupby(["caller", "callee"]).size().astype(float), fill_value=0
        )
        self.incoming = self.incoming.add(df.groupby("callee").size().astype(float), fill_value=0)
        for k in self.sets:
            rows = df.loc[df[k].notna(), ["caller", k]].rename(columns={"caller": "number"})
            self.sets[k] = pd.concat([self.sets[k], rows]).drop_duplicates(ignore_index=True)

    def features(self) -> pd.DataFrame:
        n = self.num
        out = pd.DataFrame(index=n.index.rename("number"))
        out["out_calls"] = n["out_calls"]
        out["in_calls"] = self.incoming.reindex(n.index).fillna(0.0)
        out["out_share"] = n["out_calls"] / (n["out_calls"] + out["in_calls"])
        p = self.pairs
        callers = p.index.get_level_values(0)
        out["distinct_callees"] = p.groupby(level=0).size().reindex(n.index)
        out["short_call_share"] = n["short"] / n["out_calls"]
        out["mean_duration_s"] = n["dur_sum"] / n["out_calls"]
        out["night_share"] = n["night"] / n["out_calls"]
        out["forwarded_share"] = n["fwd"] / n["out_calls"]
        out["iot_voice_calls"] = n["iot"]
        for k, col in (
            ("cell", "distinct_cells"),
            ("city", "distinct_cities"),
            ("imei", "imeis_per_number"),
        ):
            out[col] = self.sets[k].groupby("number").size().reindex(n.index).fillna(0)
        im = self.sets["imei"]
        per_imei = im.groupby("imei")["number"].nunique()
        out["max_numbers_per_imei"] = (
            im.assign(k=im["imei"].map(per_imei))
            .groupby("number")["k"]
            .max()
            .reindex(n.index)
            .fillna(0)
        )
        tot = p.groupby(level=0).sum()
        out["callee_entropy"] = (
            np.log(tot) - (p * np.log(p)).groupby(level=0).sum() / tot
        ).reindex(n.index)
        rev = pd.MultiIndex.from_arrays([p.index.get_level_values(1), callers])
        back = pd.Series(p.index.isin(rev).astype(float), index=p.index)
        out["callback_share"] = back.groupby(level=0).mean().reindex(n.index)
        has = n["gap_n"] > 0
        mean = (n["gap_sum"] / n["gap_n"]).where(has)
        out["gap_mean_s"] = mean
        var = (n["gap_sq"] / n["gap_n"] - mean**2).clip(lower=0)
        out["gap_std_s"] = np.sqrt(var).where(has)
        return out[FEATURE_COLUMNS].sort_index().reset_index()
