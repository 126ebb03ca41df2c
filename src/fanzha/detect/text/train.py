"""Train a text model from a labelled table and write a model directory with its metadata."""

from __future__ import annotations

import hashlib
import platform
import re
import sys
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from fanzha.detect.text.model import TextModel, TextParams
from fanzha.domain.taxonomy import FraudType

_NORMAL_EXACT = re.compile(
    r"^(?:正常|正常短信|正常文本|非诈骗|无风险|安全|否|normal|benign|legit|legitimate|ham|"
    r"not[_ -]?fraud|non[_ -]?fraud|nonfraud|clean|safe|negative|neg|false|no|good|0|0\.0)$",
    re.IGNORECASE,
)
_NORMAL_LOOSE = re.compile(r"正常|非诈|无风险|normal|benign|legit|\bham\b|\bnot\b|\bnon", re.I)


def detect_normal_class(labels: Sequence[str]) -> str:
    """The label of the non-fraud class, found by name; else the most frequent label."""
    counts = Counter(str(v).strip() for v in labels)
    exact = [c for c in counts if _NORMAL_EXACT.match(c)]
    if len(exact) == 1:
        return exact[0]
    if len(exact) > 1:
        return max(exact, key=lambda c: counts[c])
    loose = [c for c in counts if _NORMAL_LOOSE.search(c)]
    if loose:
        return max(loose, key=lambda c: counts[c])
    return counts.most_common(1)[0][0]


def canonical_label(v: object) -> str:
    s = str(v).strip()
    if re.fullmatch(r"-?\d+\.0+", s):  # "1.0" from spreadsheets → "1"
        s = s.split(".")[0]
    return s


def sha256_file(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def library_versions() -> dict[str, str]:
    import scipy
    import sklearn

    out = {"python": platform.python_version(), "numpy": np.__version__}
    out["scikit-learn"] = sklearn.__version__
    out["scipy"] = scipy.__version__
    try:
        import jieba

        out["jieba"] = jieba.__version__
    except Exception:  # jieba is optional at inference
        pass
    return out


def evaluate(model: TextModel, texts: Sequence[str], labels: Sequence[str]) -> dict[str, Any]:
    from sklearn.metrics import accuracy_score, classification_report, f1_score, roc_auc_score

    verdicts = model.classify(texts, evidence=False)
    y = [str(v) for v in labels]
    normal = model.normal_class
    proba, _, _ = model.predict_proba(texts)
    pred = [model.classes_[i] for i in np.argmax(proba, axis=1)]
    yb = [int(v != normal) for v in y]
    pb = [int(v.is_fraud) for v in verdicts]
    scores = [v.score for v in verdicts]
    m: dict[str, Any] = {
        "n": len(y),
        "fraud_vs_normal_f1": round(float(f1_score(yb, pb, zero_division=0)), 4),
        "fraud_vs_normal_precision": round(
            float(sum(a and b for a, b in zip(yb, pb, strict=True)) / max(1, sum(pb))), 4
        ),
        "fraud_vs_normal_recall": round(
            float(sum(a and b for a, b in zip(yb, pb, strict=True)) / max(1, sum(yb))), 4
        ),
    }
    if len(set(yb)) == 2:
        m["fraud_vs_normal_auc"] = round(float(roc_auc_score(yb, scores)), 4)
    if len(model.classes_) > 2:
        m["macro_f1"] = round(float(f1_score(y, pred, average="macro", zero_division=0)), 4)
        m["accuracy"] = round(float(accuracy_score(y, pred)), 4)
        rep = classification_report(y, pred, output_dict=True, zero_division=0)
        m["per_class_f1"] = {
            k: round(float(v["f1-score"]), 4) for k, v in rep.items() if k in model.classes_
        }
    return m


def train_text_model(
    texts: Sequence[str],
    labels: Sequence[object],
    params: TextParams | None = None,
    normal_class: str | None = None,
    test_size: float = 0.2,
    seed: int = 42,
    tune_c: Sequence[float] | None = (0.3, 1.0, 3.0),
) -> tuple[TextModel, dict[str, Any]]:
    """Fit on a stratified split, tune C on a validation split of the training part, report the
    held-out metrics, then refit on all rows. Returns the final model and its metrics."""
    from sklearn.model_selection import train_test_split

    params = params or TextParams()
    y = np.asarray([canonical_label(v) for v in labels], dtype=object)
    x = np.asarray([t if isinstance(t, str) else "" for t in texts], dtype=object)
    normal = canonical_label(normal_class) if normal_class else detect_normal_class(list(y))
    if normal not in set(y):
        raise ValueError(f"正常类标签 {normal!r} 不在数据中")
    classes = sorted(set(y))
    if len(classes) < 2:
        raise ValueError("至少需要两个类别")
    taxonomy = all(c == normal or c in {f.value for f in FraudType} for c in classes)
    counts = Counter(y)
    strat = y if min(counts.values()) >= 2 else None
    metrics: dict[str, Any] = {"class_counts": {k: int(v) for k, v in sorted(counts.items())}}
    if test_size > 0 and len(y) >= 10:
        xtr, xte, ytr, yte = train_test_split(
            x, y, test_size=test_size, stratify=strat, random_state=seed
        )
        chosen = params.C
        if tune_c and len(ytr) >= 50:
            ctr = Counter(ytr)
            strat2 = ytr if min(ctr.values()) >= 2 else None
            xa, xv, ya, yv = train_test_split(
                xtr, ytr, test_size=0.2, stratify=strat2, random_state=seed
            )
            best = -1.0
            tuning = {}
            for c in tune_c:
                p = TextParams(**{**params.__dict__, "C": c})
                mdl = TextModel(p, normal, taxonomy).fit(list(xa), list(ya), seed=seed)
                ev = evaluate(mdl, list(xv), list(yv))
                val = ev.get("macro_f1", ev["fraud_vs_normal_f1"])
                tuning[str(c)] = val
                if val > best:
                    best, chosen = val, c
            metrics["validation_tuning"] = {"metric_by_C": tuning, "chosen_C": chosen}
        params = TextParams(**{**params.__dict__, "C": chosen})
        held = TextModel(params, normal, taxonomy).fit(list(xtr), list(ytr), seed=seed)
        metrics["held_out"] = evaluate(held, list(xte), list(yte))
        metrics["held_out"]["split"] = {
            "test_size": test_size,
            "seed": seed,
            "stratified": strat is not None,
        }
    model = TextModel(params, normal, taxonomy).fit(list(x), list(y), seed=seed)
    return model, metrics


def build_metadata(
    model: TextModel,
    metrics: dict[str, Any],
    data_files: Sequence[str | Path],
    command: str | None = None,
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    meta: dict[str, Any] = {
        "kind": "fanzha.text",
        "format_version": 1,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": command if command is not None else " ".join(sys.argv),
        "data_files": [
            {"path": str(p), "sha256": sha256_file(p), "bytes": Path(p).stat().st_size}
            for p in data_files
        ],
        "params": model.params.to_dict(),
        "labels": model.classes_,
        "normal_class": model.normal_class,
        "taxonomy_types": model.taxonomy_types,
        "metrics": metrics,
        "libraries": library_versions(),
    }
    if extra:
        meta.update(extra)
    return meta
