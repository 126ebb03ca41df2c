"""Train/evaluate URL models and write model directories with metadata."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from fanzha.detect.text.train import library_versions, sha256_file
from fanzha.detect.urls.model import UrlModel, bare

POSITIVE = {
    "1",
    "true",
    "yes",
    "phishing",
    "phish",
    "malicious",
    "bad",
    "fraud",
    "risky",
    "诈骗",
    "钓鱼",
    "恶意",
    "是",
    "1.0",
}


def to_binary(labels: Sequence[object]) -> list[int]:
    return [1 if str(v).strip().lower() in POSITIVE else 0 for v in labels]


def evaluate(model: UrlModel, urls: Sequence[str], y: Sequence[int]) -> dict[str, Any]:
    from sklearn.metrics import f1_score, precision_score, recall_score, roc_auc_score

    y = np.asarray(y)
    p = np.array([v.score for v in model.score(urls)])
    pred = (p >= model.threshold).astype(int)
    m: dict[str, Any] = {
        "n": int(len(y)),
        "f1": round(float(f1_score(y, pred, zero_division=0)), 4),
        "precision": round(float(precision_score(y, pred, zero_division=0)), 4),
        "recall": round(float(recall_score(y, pred, zero_division=0)), 4),
    }
    if len(set(y.tolist())) == 2:
        m["auc"] = round(float(roc_auc_score(y, p)), 4)
        pb = np.array([v.score for v in model.score([bare(u) for u in urls])])
        legit, phish = pb[y == 0], pb[y == 1]
        thr = float(np.quantile(legit, 0.99))
        m["bare_domains"] = {
            "threshold_at_1pct_fp": round(thr, 4),
            "recall_at_1pct_fp": round(float((phish > thr).mean()), 4),
            "recall_at_default_threshold": round(float((phish >= model.threshold).mean()), 4),
            "fp_rate_at_default_threshold": round(float((legit >= model.threshold).mean()), 4),
        }
    return m


def train_url_model(
    urls: Sequence[str],
    labels: Sequence[int],
    C: float = 32.0,
    test_size: float = 0.2,
    seed: int = 42,
    combine: str = "model",
    host_parts: bool = True,
    stack: bool = True,
    **features: Any,
) -> tuple[UrlModel, dict[str, Any]]:
    from sklearn.model_selection import train_test_split

    u = np.asarray(list(urls), dtype=object)
    y = np.asarray(list(labels), dtype=np.int8)
    if len(set(y.tolist())) < 2:
        raise ValueError("需要同时有正负样本")
    metrics: dict[str, Any] = {"class_counts": {"0": int((y == 0).sum()), "1": int((y == 1).sum())}}
    if test_size > 0 and len(y) >= 10:
        tr, te = train_test_split(
            np.arange(len(y)), test_size=test_size, stratify=y, random_state=seed
        )
        held = UrlModel(C=C, combine=combine, host_parts=host_parts, stack=stack, **features).fit(
            list(u[tr]), y[tr]
        )
        metrics["held_out"] = evaluate(held, list(u[te]), y[te])
        metrics["held_out"]["split"] = {"test_size": test_size, "seed": seed, "stratified": True}
    model = UrlModel(C=C, combine=combine, host_parts=host_parts, stack=stack, **features).fit(
        list(u), y
    )
    return model, metrics


def build_metadata(
    model: UrlModel,
    metrics: dict[str, Any],
    data_files: Sequence[str | Path],
    command: str | None = None,
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    import sklearn

    libs = library_versions()
    libs["scikit-learn"] = sklearn.__version__
    meta: dict[str, Any] = {
        "kind": "fanzha.url",
        "format_version": 1,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": command if command is not None else " ".join(sys.argv),
        "data_files": [
            {"path": str(p), "sha256": sha256_file(p), "bytes": Path(p).stat().st_size}
            for p in data_files
        ],
        "params": {
            "C": model.C,
            "threshold": model.threshold,
            "combine": model.combine,
            "trained_with_bare_hosts": True,
            "host_parts": getattr(model, "host_parts", False),
            "stacked_trees": getattr(model, "booster", None) is not None,
        },
        "metrics": metrics,
        "libraries": libs,
    }
    if extra:
        meta.update(extra)
    return meta
