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


def bare_http(url: str) -> str:
    """The bare host with the scheme fixed to http: no scheme cue left."""
    return "http://" + bare(url).split("://", 1)[1]


def _bare_check(model: UrlModel, urls: Sequence[str], y: np.ndarray, view) -> dict[str, Any]:
    pb = model.predict_proba([view(u) for u in urls])
    legit, phish = pb[y == 0], pb[y == 1]
    thr = float(np.quantile(legit, 0.99))
    return {
        "threshold_at_1pct_fp": round(thr, 4),
        "recall_at_1pct_fp": round(float((phish > thr).mean()), 4),
        "recall_at_default_threshold": round(float((phish >= model.threshold).mean()), 4),
        "fp_rate_at_default_threshold": round(float((legit >= model.threshold).mean()), 4),
    }


def evaluate(model: UrlModel, urls: Sequence[str], y: Sequence[int]) -> dict[str, Any]:
    """F1/precision/recall/AUC on full URLs, then the bare-domain check: only scheme + host of
    each URL is scored, phishing hosts against legitimate hosts (``bare_domains``), and once more
    with every scheme set to http (``bare_domains_http``) so that the scheme cannot help."""
    from sklearn.metrics import f1_score, precision_score, recall_score, roc_auc_score

    urls = list(urls)
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
        m["bare_domains"] = _bare_check(model, urls, y, bare)
        m["bare_domains_http"] = _bare_check(model, urls, y, bare_http)
    return m


DEFAULTS: dict[str, Any] = {"C": 8.0, "stack": True, "words": True}


def train_url_model(
    urls: Sequence[str],
    labels: Sequence[int],
    test_size: float = 0.2,
    seed: int = 42,
    bare_labels: Sequence[int] | None = None,
    **params: Any,
) -> tuple[UrlModel, dict[str, Any]]:
    """Fit on a stratified split, measure on the held-out part, then refit on everything.

    ``params`` go to :class:`UrlModel` (defaults: ``DEFAULTS``, chosen by cross-validation on
    the training part of the phishing set only; the held-out part was never used to choose).
    ``bare_labels``: see :meth:`UrlModel.fit` (the held-out figures use the URLs' own labels).
    """
    from sklearn.model_selection import train_test_split

    params = {**DEFAULTS, **{k: v for k, v in params.items() if v is not None}}
    u = np.asarray(list(urls), dtype=object)
    y = np.asarray(list(labels), dtype=np.int8)
    yb = None if bare_labels is None else np.asarray(list(bare_labels), dtype=np.int8)
    if len(set(y.tolist())) < 2:
        raise ValueError("需要同时有正负样本")
    metrics: dict[str, Any] = {"class_counts": {"0": int((y == 0).sum()), "1": int((y == 1).sum())}}
    if test_size > 0 and len(y) >= 10:
        tr, te = train_test_split(
            np.arange(len(y)), test_size=test_size, stratify=y, random_state=seed
        )
        held = UrlModel(**params).fit(
            list(u[tr]), y[tr], bare_labels=None if yb is None else yb[tr]
        )
        metrics["held_out"] = evaluate(held, list(u[te]), y[te])
        metrics["held_out"]["split"] = {"test_size": test_size, "seed": seed, "stratified": True}
    model = UrlModel(**params).fit(list(u), y, bare_labels=yb)
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
            "format_version": model.format_version,
            "C": model.C,
            "threshold": model.threshold,
            "combine": model.combine,
            "path_chars": model.path_chars,
            "use_scheme": model.use_scheme,
            "trained_with_bare_hosts": True,
            "stacked_trees": model.booster is not None,
            "trees": model.trees if model.booster is not None else 0,
        },
        "metrics": metrics,
        "libraries": libs,
    }
    if extra:
        meta.update(extra)
    return meta
