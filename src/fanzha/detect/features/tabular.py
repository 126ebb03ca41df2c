"""Turn a partner's table into a numeric feature matrix, remembering the encoding for scoring.

Numeric and boolean columns are used as they are. Text columns with few distinct values
(≤ ``max_levels``) become integer category codes (unseen values → -1 at scoring time); text columns
with many distinct values (identifiers, free text) are dropped, and the encoder says which.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd


@dataclass
class TableEncoder:
    numeric: list[str] = field(default_factory=list)
    categorical: dict[str, list[str]] = field(default_factory=dict)
    dropped: list[str] = field(default_factory=list)

    @classmethod
    def fit(
        cls, df: pd.DataFrame, exclude: set[str] | list[str], max_levels: int = 50
    ) -> TableEncoder:
        enc = cls()
        skip = set(exclude)
        for col in df.columns:
            if col in skip:
                continue
            s = df[col]
            if pd.api.types.is_bool_dtype(s) or pd.api.types.is_numeric_dtype(s):
                enc.numeric.append(col)
                continue
            as_num = pd.to_numeric(s, errors="coerce")
            if s.notna().sum() > 0 and as_num.notna().sum() == s.notna().sum():
                enc.numeric.append(col)
                continue
            levels = s.dropna().astype(str).unique()
            if 0 < len(levels) <= max_levels:
                enc.categorical[col] = sorted(levels.tolist())
            else:
                enc.dropped.append(col)
        return enc

    @property
    def columns(self) -> list[str]:
        return self.numeric + list(self.categorical)

    def transform(self, df: pd.DataFrame) -> pd.DataFrame:
        out: dict[str, np.ndarray] = {}
        for col in self.numeric:
            if col in df.columns:
                out[col] = pd.to_numeric(df[col], errors="coerce").astype("float64").to_numpy()
            else:
                out[col] = np.full(len(df), np.nan)
        for col, levels in self.categorical.items():
            lookup = {v: i for i, v in enumerate(levels)}
            if col in df.columns:
                vals = df[col].astype("string").fillna("\x00").to_numpy()
                out[col] = np.array([lookup.get(v, -1) for v in vals], dtype="float64")
            else:
                out[col] = np.full(len(df), -1.0)
        return pd.DataFrame(out, index=df.index)

    def to_dict(self) -> dict:
        return {"numeric": self.numeric, "categorical": self.categorical, "dropped": self.dropped}

    @classmethod
    def from_dict(cls, d: dict) -> TableEncoder:
        return cls(
            list(d["numeric"]),
            {k: list(v) for k, v in d["categorical"].items()},
            list(d["dropped"]),
        )


def quantile_grid(X: pd.DataFrame, n: int = 101) -> dict[str, list[float]]:
    """Per-column quantiles (0..100 %) of the training data, to phrase reasons as percentiles."""
    qs = np.linspace(0, 1, n)
    out = {}
    for col in X.columns:
        v = X[col].to_numpy(dtype="float64")
        v = v[np.isfinite(v)]
        out[col] = np.quantile(v, qs).tolist() if len(v) else []
    return out


def percentile_of(grid: list[float], value: float) -> float:
    """Share (0..1) of training rows at or below ``value``."""
    if not grid or not np.isfinite(value):
        return 0.5
    g = np.asarray(grid, dtype="float64")
    if len(g) < 2:
        return 0.5
    lo = np.searchsorted(g, value, side="left")
    hi = np.searchsorted(g, value, side="right")
    if hi - lo > 1:  # the value sits on a run of tied quantiles: take the middle of the run
        return float((lo + hi - 1) / 2 / (len(g) - 1))
    return float(np.interp(value, g, np.linspace(0.0, 1.0, len(g))))
