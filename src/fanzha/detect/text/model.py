"""The text fraud classifier: char n-gram (+ optional jieba word) TF-IDF and a calibrated linear model.

Features: character 1–4-grams of the whole normalised message, character 1–4-grams of its first
``head_chars`` characters (who the sender claims to be — 银监会, 京东客服, 你的领导 — decides the type),
and optionally jieba word 1–2-grams. The classifier is a LinearSVC with sigmoid calibration, so the
score is a probability and the coefficients still explain each decision.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp

from fanzha.detect.text.lexicon import Hit, find_cues, guess_type
from fanzha.detect.text.normalize import for_features, normalize
from fanzha.domain.taxonomy import FraudType

MODEL_FILE = "model.joblib"
META_FILE = "metadata.json"

_jieba_ready = False


def _jieba_tokens(text: str) -> list[str]:
    global _jieba_ready
    import jieba

    if not _jieba_ready:
        jieba.setLogLevel(logging.WARNING)
        jieba.initialize()
        _jieba_ready = True
    return [w for w in jieba.lcut(text, HMM=False) if w.strip()]


@dataclass
class TextParams:
    char_ngrams: tuple[int, int] = (1, 4)
    head_chars: int = 40
    words: bool = False
    min_df: int = 2
    max_features: int | None = 400_000
    C: float = 1.0
    threshold: float = 0.5

    def to_dict(self) -> dict[str, Any]:
        return {
            "char_ngrams": list(self.char_ngrams),
            "head_chars": self.head_chars,
            "words": self.words,
            "min_df": self.min_df,
            "max_features": self.max_features,
            "C": self.C,
            "threshold": self.threshold,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> TextParams:
        d = dict(d)
        d["char_ngrams"] = tuple(d.get("char_ngrams", (1, 4)))
        return cls(**{k: v for k, v in d.items() if k in cls.__dataclass_fields__})


@dataclass
class TextVerdict:
    is_fraud: bool
    fraud_type: str
    score: float
    evidence: list[dict[str, Any]] = field(default_factory=list)

    def evidence_text(self) -> str:
        return "; ".join(f"{e['phrase']}({e['signal']})" for e in self.evidence)


class TextModel:
    """Fitted vectorisers + calibrated linear classifier; picklable with joblib."""

    def __init__(self, params: TextParams, normal_class: str, taxonomy_types: bool = False):
        self.params = params
        self.normal_class = normal_class
        # True when labels are police taxonomy values: then fraud_type is the predicted class.
        self.taxonomy_types = taxonomy_types
        self.vectorizers: list[tuple[str, Any]] = []
        self.clf: Any = None
        self.classes_: list[str] = []
        self._coef: np.ndarray | None = None  # (n_classes or 1, n_features)
        self._intercept: np.ndarray | None = None
        self._cal: np.ndarray | None = None  # per one-vs-rest column: sigmoid a, b

    # ---- features -------------------------------------------------------------------------
    def _build_vectorizers(self) -> None:
        from fanzha.detect.text.features import HashedTfidf

        p = self.params
        self.vectorizers = [
            (
                "char",
                HashedTfidf(
                    tuple(p.char_ngrams), p.head_chars, min_df=p.min_df, max_features=p.max_features
                ),
            )
        ]
        if p.words:
            from sklearn.feature_extraction.text import TfidfVectorizer

            self.vectorizers.append(
                (
                    "word",
                    TfidfVectorizer(
                        tokenizer=_jieba_tokens,
                        token_pattern=None,
                        ngram_range=(1, 2),
                        sublinear_tf=True,
                        min_df=p.min_df,
                        lowercase=False,
                        dtype=np.float32,
                    ),
                )
            )

    def _transform(self, feats: Sequence[str], fit: bool = False) -> sp.csr_matrix:
        blocks = []
        for _, vec in self.vectorizers:
            blocks.append(vec.fit_transform(feats) if fit else vec.transform(feats))
        if len(blocks) == 1:
            return blocks[0]
        return sp.hstack(blocks, format="csr", dtype=np.float32)

    # ---- training -------------------------------------------------------------------------
    def fit(self, texts: Sequence[str], labels: Sequence[str], seed: int = 42) -> TextModel:
        from sklearn.calibration import CalibratedClassifierCV
        from sklearn.svm import LinearSVC

        self._build_vectorizers()
        feats = [for_features(normalize(t)) for t in texts]
        X = self._transform(feats, fit=True)
        y = np.asarray([str(v) for v in labels], dtype=object)
        counts = {c: int((y == c).sum()) for c in set(y)}
        cv = max(2, min(3, min(counts.values())))
        base = LinearSVC(C=self.params.C, random_state=seed)
        # ensemble=False: calibrators fitted on cross-validated scores, one final linear model.
        cal = CalibratedClassifierCV(base, method="sigmoid", cv=cv, ensemble=False).fit(X, y)
        self.classes_ = [str(c) for c in cal.classes_]
        cc = cal.calibrated_classifiers_[0]
        self._coef = np.ascontiguousarray(cc.estimator.coef_, dtype=np.float32)
        self._intercept = np.asarray(cc.estimator.intercept_, dtype=np.float32)
        self._cal = np.array([[c.a_, c.b_] for c in cc.calibrators], dtype=np.float64)
        self.clf = None
        return self

    # ---- inference ------------------------------------------------------------------------
    def predict_proba(self, texts: Sequence[str]) -> tuple[np.ndarray, list[str], sp.csr_matrix]:
        normed = [normalize(t) for t in texts]
        X = self._transform([for_features(t) for t in normed])
        return self._proba(X), normed, X

    def _proba(self, X: sp.csr_matrix) -> np.ndarray:
        """Sigmoid-calibrated one-vs-rest scores, normalised (as sklearn's CalibratedClassifierCV)."""
        assert self._coef is not None
        d = np.asarray(X @ self._coef.T, dtype=np.float64) + self._intercept
        p = 1.0 / (1.0 + np.exp(d * self._cal[:, 0] + self._cal[:, 1]))
        if len(self.classes_) == 2:
            return np.column_stack([1.0 - p[:, 0], p[:, 0]])
        s = p.sum(axis=1, keepdims=True)
        s[s == 0] = 1.0
        p = p / s
        p[(p.sum(axis=1) == 0)] = 1.0 / len(self.classes_)
        return p

    def _direction(self, cls_index: int) -> np.ndarray:
        """Weights pushing towards class ``cls_index`` and away from the normal class."""
        assert self._coef is not None
        ni = self.classes_.index(self.normal_class)
        if self._coef.shape[0] == 1:  # binary: coef points to classes_[1]
            return self._coef[0] if ni == 0 else -self._coef[0]
        return self._coef[cls_index] - self._coef[ni]

    def classify(
        self, texts: Sequence[str | None], evidence: bool = True, top_ngrams: int = 3
    ) -> list[TextVerdict]:
        clean = [t if isinstance(t, str) else "" for t in texts]
        if not clean:
            return []
        proba, normed, X = self.predict_proba(clean)
        ni = self.classes_.index(self.normal_class)
        fraud_idx = [i for i in range(len(self.classes_)) if i != ni]
        out: list[TextVerdict] = []
        for r in range(len(clean)):
            p = proba[r]
            score = float(1.0 - p[ni]) if clean[r].strip() else 0.0
            is_fraud = score >= self.params.threshold
            best = max(fraud_idx, key=lambda i: p[i])
            hits = find_cues(normed[r]) if (evidence or not self.taxonomy_types) else []
            ftype = ""
            if is_fraud:
                if self.taxonomy_types or len(self.classes_) > 2:
                    ftype = self.classes_[best]
                    if self.taxonomy_types and ftype == FraudType.OTHER.value:
                        # 其他类型 is the model's catch-all; a specific red flag names the type.
                        hits = hits or find_cues(normed[r])
                        g = guess_type(hits)
                        ftype = g.value if g is not None else ftype
                else:
                    g = guess_type(hits)
                    ftype = g.value if g is not None else ""
            ev: list[dict[str, Any]] = []
            if evidence and (is_fraud or hits):
                ev = self._evidence(
                    X, r, for_features(normed[r]), best, hits, top_ngrams if is_fraud else 0
                )
            out.append(TextVerdict(bool(is_fraud), ftype, round(score, 6), ev))
        return out

    def _evidence(
        self, X: sp.csr_matrix, r: int, feat: str, cls: int, hits: list[Hit], top: int
    ) -> list[dict[str, Any]]:
        ev = [{"phrase": h.phrase, "signal": h.cue.signal, "source": "lexicon"} for h in hits]
        if top <= 0:
            return ev
        char = self.vectorizers[0][1]
        row = X.getrow(r)
        weights = dict(zip(row.indices.tolist(), row.data.tolist(), strict=True))
        direction = self._direction(cls)
        candidates: dict[str, float] = {}
        for col, start, n in char.columns_of(feat):
            if n < 2:
                continue
            name = feat[start : start + n]
            if not name.strip("0") or name in candidates:
                continue
            c = weights.get(col, 0.0) * float(direction[col])
            if c > 0:
                candidates[name] = c
        seen = [h.phrase for h in hits]
        for name, c in sorted(candidates.items(), key=lambda kv: -kv[1]):
            if top <= 0:
                break
            if any(name in s or s in name for s in seen):
                continue
            seen.append(name)
            ev.append(
                {
                    "phrase": name,
                    "signal": f"模型特征 +{c:.2f}",
                    "source": "model",
                    "weight": round(c, 4),
                }
            )
            top -= 1
        return ev

    # ---- persistence ----------------------------------------------------------------------
    def save(self, directory: str | Path, metadata: dict[str, Any]) -> None:
        import joblib

        d = Path(directory)
        d.mkdir(parents=True, exist_ok=True)
        joblib.dump(self, d / MODEL_FILE, compress=3)
        (d / META_FILE).write_text(
            json.dumps(metadata, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )

    @staticmethod
    def load(directory: str | Path) -> TextModel:
        import joblib

        d = Path(directory)
        model = joblib.load(d / MODEL_FILE)
        if not isinstance(model, TextModel):
            raise ValueError(f"{d} 不是文本模型目录")
        return model
