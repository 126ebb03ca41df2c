"""Rebuild the shipped default URL model: rules + a model trained only on generated material.

The public phishing sets have no licence, so they are used for evaluation only.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fanzha.detect.io import datasets_dir
from fanzha.detect.urls.corpus import generate
from fanzha.detect.urls.rules import BRANDS_FILE
from fanzha.detect.urls.train import build_metadata, evaluate, train_url_model

DEFAULT_DIR = Path(__file__).resolve().parents[1] / "models" / "url_default"
REBUILD_COMMAND = "fanzha url train-default"


def external_evaluation(model, root: Path, limit: int = 4000, seed: int = 42) -> dict[str, Any]:
    import pandas as pd

    out: dict[str, Any] = {}
    f = root / "urls" / "esdaung_phish" / "balanced_train.csv"
    if f.exists():
        d = pd.read_csv(f).sample(n=limit, random_state=seed)
        out["esdaung_phish_sample"] = evaluate(
            model, d["url"].astype(str).tolist(), d["is_phishing"].astype(int).tolist()
        )
    return out


def train_default(
    out: Path = DEFAULT_DIR, root: Path | None = None, n: int = 12000, seed: int = 42
) -> dict[str, Any]:
    root = root or datasets_dir()
    pairs = list(generate(n, seed=seed))
    model, metrics = train_url_model(
        [u for u, _ in pairs], [y for _, y in pairs], combine="max", seed=seed
    )
    metrics["held_out"]["note"] = "held-out part of the generated material"
    metrics["external_evaluation"] = external_evaluation(model, root)
    meta = build_metadata(
        model,
        metrics,
        [BRANDS_FILE],
        command=REBUILD_COMMAND,
        extra={
            "training_sources": {
                "project_corpus": f"fanzha.detect.urls.corpus.generate({n}, seed={seed}) from brands.yaml",
            },
            "unlicensed_sets_used_for": "evaluation only (esdaung_phish)",
        },
    )
    meta["data_files"][0]["path"] = "src/fanzha/detect/urls/brands.yaml"
    model.save(out, meta)
    return meta
