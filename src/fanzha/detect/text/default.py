"""Rebuild the shipped default text model from licence-compatible data only.

Training data: TeleAntiFraud dialogues (Apache-2.0; caller turns ``left``) mapped onto the police
taxonomy, plus the project's own template corpus (:mod:`fanzha.detect.text.corpus`).
telecom_fraud_texts_5 and Fraud-R1 are research-only: they are used here for evaluation only.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fanzha.detect.io import datasets_dir
from fanzha.detect.text.corpus import NORMAL, generate, letters
from fanzha.detect.text.model import TextModel, TextParams
from fanzha.detect.text.train import build_metadata, evaluate, train_text_model
from fanzha.domain.taxonomy import FraudType as F

DEFAULT_DIR = Path(__file__).resolve().parents[1] / "models" / "text_default"
REBUILD_COMMAND = "fanzha text train-default"

TELEANTIFRAUD_TYPES: dict[str, str] = {
    "客服诈骗": F.FAKE_CUSTOMER_SERVICE.value,
    "邮件诈骗": F.FAKE_CUSTOMER_SERVICE.value,  # parcel/courier "customer service"
    "银行诈骗": F.FAKE_CUSTOMER_SERVICE.value,  # fake bank customer service
    "投资诈骗": F.FAKE_INVESTMENT.value,
    "彩票诈骗": F.OTHER.value,
    "绑架诈骗": F.OTHER.value,
    "身份盗窃": F.OTHER.value,
    "钓鱼诈骗": F.OTHER.value,
}


def teleantifraud_rows(root: Path) -> tuple[list[str], list[str], list[Path]]:
    """Caller-side text of each dialogue, and a short window (first two caller turns)."""
    texts, labels, files = [], [], []
    seen: set[str] = set()
    for path in sorted((root / "text" / "teleantifraud").glob("*.jsonl")):
        files.append(path)
        normal_file = path.name.startswith("normal")
        with open(path, encoding="utf-8") as f:
            for line in f:
                try:
                    r = json.loads(line)
                except json.JSONDecodeError:
                    continue
                left = [t for t in r.get("left") or [] if isinstance(t, str)]
                if not left:
                    continue
                label = (
                    NORMAL
                    if normal_file
                    else TELEANTIFRAUD_TYPES.get(r.get("fraud_type"), F.OTHER.value)
                )
                for text in ("".join(left)[:400], "".join(left[:2])):
                    if text in seen or len(text) < 8:
                        continue
                    seen.add(text)
                    texts.append(text)
                    labels.append(label)
    return texts, labels, files


def external_evaluation(model: TextModel, root: Path) -> dict[str, Any]:
    """Fraud-vs-normal on research-only sets the default model never saw."""
    import pandas as pd

    out: dict[str, Any] = {}
    t5 = root / "text" / "telecom_fraud_texts_5" / "train.csv"
    if t5.exists():
        d = pd.read_csv(t5)
        labels = [NORMAL if v == "正常" else "fraud" for v in d["label"].tolist()]
        ev = evaluate(
            model,
            d["text"].astype(str).tolist(),
            [NORMAL if v == NORMAL else F.OTHER.value for v in labels],
        )
        out["telecom_fraud_texts_5"] = {
            k: ev[k] for k in ev if k.startswith("fraud_vs_normal") or k == "n"
        }
        # Share of the real (operator/marketing/service) SMS labelled 正常 that are flagged.
        normal_texts = [
            t for t, y in zip(d["text"].astype(str), labels, strict=True) if y == NORMAL
        ]
        flagged = sum(v.is_fraud for v in model.classify(normal_texts, evidence=False))
        out["telecom_fraud_texts_5"]["normal_flagged_rate"] = round(
            flagged / max(1, len(normal_texts)), 4
        )
    r1 = root / "text" / "fraud_r1" / "FP-base-Chinese.json"
    if r1.exists():
        data = json.loads(r1.read_text(encoding="utf-8"))
        for field, key in (
            ("raw_data", "fraud_r1_raw_data"),
            ("generated text", "fraud_r1_generated"),
        ):
            seeds = [x[field] for x in data if isinstance(x.get(field), str) and x[field].strip()]
            if not seeds:
                continue
            verdicts = model.classify(seeds, evidence=False)
            caught = sum(v.is_fraud for v in verdicts)
            recall = caught / max(1, len(seeds))
            out[key] = {
                "n": len(seeds),
                "fraud_only": True,
                "recall": round(recall, 4),
                "f1_if_all_positive_set": round(2 * recall / (1 + recall), 4) if recall else 0.0,
            }
    return out


def train_default(
    out: Path = DEFAULT_DIR,
    root: Path | None = None,
    corpus_size: int = 36000,
    seed: int = 42,
    promo_share: float = 0.3,
    broad_share: float = 0.4,
    fraud_sms_share: float = 0.75,
    fraud_share: float = 0.55,
    threshold: float = 0.5,
    letter_n: int = 3000,
) -> dict[str, Any]:
    root = root or datasets_dir()
    texts, labels, files = teleantifraud_rows(root)
    corpus = generate(
        corpus_size,
        seed=seed,
        fraud_share=fraud_share,
        promo_share=promo_share,
        broad_share=broad_share,
        fraud_sms_share=fraud_sms_share,
    )
    for text, label in corpus:
        texts.append(text)
        labels.append(label)
    # Corpus v4: long formal letters/e-mails on both sides (seed + 1; 0 leaves v3 unchanged),
    # written after the v3 model caught 6.5 % of Fraud-R1's long formal `generated text`.
    for text, label in letters(letter_n, seed=seed + 1):
        texts.append(text)
        labels.append(label)
    # C=3 was chosen on a validation split of this data (metric_by_C 0.3: 0.987, 1: 0.9891,
    # 3: 0.9909); fixed here so a rebuild takes minutes. max_features keeps the package small.
    # No class weighting: the normal class is the one whose recall protects users from alarms.
    # Corpus v3 (broad normal SMS, fraud dressed as SMS/prose/notices) was written after the v2
    # model flagged 40.6 % of real marketing/service SMS in telecom_fraud_texts_5. With a broad
    # normal class the normalised one-vs-rest probabilities put out-of-distribution fraud near
    # 0.3-0.5; the fraud score is therefore 1 − the normal class's own calibrated probability
    # ("normal_vs_rest"), read at the plain 0.5 threshold (not tuned on any evaluation set).
    params = TextParams(
        C=3.0,
        max_features=200_000,
        class_weight=None,
        threshold=threshold,
        fraud_score="normal_vs_rest",
    )
    model, metrics = train_text_model(
        texts, labels, params, normal_class=NORMAL, seed=seed, tune_c=None
    )
    metrics["external_evaluation"] = external_evaluation(model, root)
    meta = build_metadata(
        model,
        metrics,
        files,
        command=REBUILD_COMMAND,
        extra={
            "training_sources": {
                "teleantifraud": "JimmyMa99/TeleAntiFraud @ 6a09c4e, Apache-2.0 (attribution)",
                "project_corpus": (
                    f"fanzha.detect.text.corpus.generate({corpus_size}, seed={seed}, "
                    f"fraud_share={fraud_share}, promo_share={promo_share}, "
                    f"broad_share={broad_share}, fraud_sms_share={fraud_sms_share}) + "
                    f"letters({letter_n}, seed={seed + 1})"
                ),
                "threshold": threshold,
                "fraud_score": "normal_vs_rest",
            },
            "research_only_sets_used_for": "evaluation only (telecom_fraud_texts_5, Fraud-R1)",
            "teleantifraud_type_map": TELEANTIFRAUD_TYPES,
        },
    )
    # Paths inside the repo's sibling folder, not absolute machine paths.
    for f in meta["data_files"]:
        f["path"] = str(Path(f["path"]).resolve().relative_to(root.resolve().parent))
    model.save(out, meta)
    return meta
