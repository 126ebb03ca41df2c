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

# A message's n-grams for evidence: (feature text, model column, start, length), 2+ characters.
Grams = tuple[str, np.ndarray, np.ndarray, np.ndarray]


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
    # "balanced": errors on small classes weigh as much as on the large normal class (chosen by
    # 5-fold CV on the training part of telecom_fraud_texts_5, see bench/text_eval.py).
    class_weight: str | None = "balanced"
    # How a message's fraud score is read off the classes (models with more than 2 classes):
    # "normalised" = 1 − P(normal) after the one-vs-rest scores are normalised to sum to 1;
    # "normal_vs_rest" = 1 − the normal class's own calibrated one-vs-rest probability. With a
    # broad normal class, fraud unlike every trained fraud type gets small probabilities for
    # all of them, and normalising then hands the message to "normal"; the normal-vs-rest
    # score does not depend on how well the fraud type is known.
    fraud_score: str = "normalised"

    def to_dict(self) -> dict[str, Any]:
        return {
            "char_ngrams": list(self.char_ngrams),
            "head_chars": self.head_chars,
            "words": self.words,
            "min_df": self.min_df,
            "max_features": self.max_features,
            "C": self.C,
            "threshold": self.threshold,
            "class_weight": self.class_weight,
            "fraud_score": self.fraud_score,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> TextParams:
        d = dict(d)
        d["char_ngrams"] = tuple(d.get("char_ngrams", (1, 4)))
        d.setdefault("class_weight", None)  # models saved before the parameter existed
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
        base = LinearSVC(
            C=self.params.C,
            class_weight=getattr(self.params, "class_weight", None),
            random_state=seed,
        )
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
        d, normed, X = self._decide(texts)
        return self._calibrate(d), normed, X

    def _decide(self, texts: Sequence[str]) -> tuple[np.ndarray, list[str], sp.csr_matrix]:
        """Decision values (rows × classes), the normalised texts and their feature rows."""
        normed = [normalize(t) for t in texts]
        X = self._transform([for_features(t) for t in normed])
        return self._decision(X), normed, X

    def _coef_features(self) -> np.ndarray:
        """Coefficients as (features × classes), C-contiguous: no copy per product, cheap rows."""
        assert self._coef is not None
        coef_t = self.__dict__.get("_coef_t")
        if coef_t is None:
            coef_t = self.__dict__["_coef_t"] = np.ascontiguousarray(self._coef.T)
        return coef_t

    def _decision(self, X: sp.csr_matrix) -> np.ndarray:
        return np.asarray(X @ self._coef_features(), dtype=np.float64) + self._intercept

    def _proba(self, X: sp.csr_matrix) -> np.ndarray:
        """Sigmoid-calibrated one-vs-rest scores, normalised (as sklearn's CalibratedClassifierCV)."""
        return self._calibrate(self._decision(X))

    def _fraud_scores(self, d: np.ndarray, proba: np.ndarray) -> np.ndarray:
        """Fraud score per row from decision values ``d`` and normalised ``proba`` (see
        ``TextParams.fraud_score``)."""
        ni = self.classes_.index(self.normal_class)
        if self.params.fraud_score == "normal_vs_rest" and len(self.classes_) > 2:
            a, b = self._cal[ni]
            return 1.0 - 1.0 / (1.0 + np.exp(d[:, ni] * a + b))
        return 1.0 - proba[:, ni]

    def _predict_one(
        self, text: str
    ) -> tuple[np.ndarray, str, tuple[np.ndarray, np.ndarray], Grams]:
        """One message without sparse matrices (the API path): decision values (1 × classes),
        the normalised text, its feature row (sorted columns, weights) and its n-grams for
        evidence."""
        normed = normalize(text)
        feat = for_features(normed)
        cols, w, (gc, gs, gl) = self.vectorizers[0][1].transform_one(feat)
        d = (w @ self._coef_features()[cols]).astype(np.float64) + self._intercept
        keep = gl >= 2
        return d[None, :], normed, (cols, w), (feat, gc[keep], gs[keep], gl[keep])

    def _calibrate(self, d: np.ndarray) -> np.ndarray:
        p = 1.0 / (1.0 + np.exp(d * self._cal[:, 0] + self._cal[:, 1]))
        if len(self.classes_) == 2:
            return np.column_stack([1.0 - p[:, 0], p[:, 0]])
        s = p.sum(axis=1, keepdims=True)
        s[s == 0] = 1.0
        p = p / s
        p[(p.sum(axis=1) == 0)] = 1.0 / len(self.classes_)
        return p

    def _direction(self, cls_index: int, cols: np.ndarray) -> np.ndarray:
        """Weights of ``cols`` pushing towards class ``cls_index`` and away from the normal class."""
        coef_t = self._coef_features()
        ni = self.classes_.index(self.normal_class)
        if coef_t.shape[1] == 1:  # binary: coef points to classes_[1]
            return coef_t[cols, 0] if ni == 0 else -coef_t[cols, 0]
        return coef_t[cols, cls_index] - coef_t[cols, ni]

    def classify(
        self, texts: Sequence[str | None], evidence: bool = True, top_ngrams: int = 3
    ) -> list[TextVerdict]:
        clean = [t if isinstance(t, str) else "" for t in texts]
        if not clean:
            return []
        single = len(clean) == 1 and len(self.vectorizers) == 1
        if single:
            d, one, row, grams = self._predict_one(clean[0])
            normed = [one]

            def feature_row(r: int) -> tuple[np.ndarray, np.ndarray]:
                return row

        else:
            d, normed, X = self._decide(clean)

            def feature_row(r: int) -> tuple[np.ndarray, np.ndarray]:
                lo, hi = X.indptr[r], X.indptr[r + 1]
                idx, data = X.indices[lo:hi], X.data[lo:hi]
                order = np.argsort(idx)
                return idx[order], data[order]

        proba = self._calibrate(d)
        ni = self.classes_.index(self.normal_class)
        fraud_idx = [i for i in range(len(self.classes_)) if i != ni]
        scores = self._fraud_scores(d, proba)
        flagged = [
            r for r in range(len(clean)) if clean[r].strip() and scores[r] >= self.params.threshold
        ]
        ngrams: dict[int, Grams] = {}
        if evidence and single:
            ngrams = {0: grams}
        elif evidence:
            table = self._ngram_table([for_features(normed[r]) for r in flagged])
            ngrams = {r: table[k] for k, r in enumerate(flagged)}
        out: list[TextVerdict] = []
        for r in range(len(clean)):
            p = proba[r]
            score = float(scores[r]) if clean[r].strip() else 0.0
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
            ev: list[dict[str, Any]] = (
                [{"phrase": h.phrase, "signal": h.cue.signal, "source": "lexicon"} for h in hits]
                if evidence
                else []
            )
            if evidence and is_fraud and top_ngrams > 0:
                ev += self._model_evidence(feature_row(r), ngrams[r], best, hits, top_ngrams)
            out.append(TextVerdict(bool(is_fraud), ftype, round(score, 6), ev))
        return out

    def _ngram_table(self, feats: list[str]) -> list[Grams]:
        """For each doc: (text, model column, start, length) of its n-grams of 2+ characters."""
        from fanzha.detect.text.features import hashed_ngrams

        char = self.vectorizers[0][1]
        rows, cols, starts, lens = hashed_ngrams(feats, char.ngram_range, char.n_features, 0)
        cols = char.remap[cols]
        keep = (lens >= 2) & (cols >= 0)
        rows, cols, starts, lens = rows[keep], cols[keep], starts[keep], lens[keep]
        order = np.argsort(rows, kind="stable")
        rows, cols, starts, lens = rows[order], cols[order], starts[order], lens[order]
        bounds = np.searchsorted(rows, np.arange(len(feats) + 1))
        return [
            (
                f,
                cols[bounds[i] : bounds[i + 1]],
                starts[bounds[i] : bounds[i + 1]],
                lens[bounds[i] : bounds[i + 1]],
            )
            for i, f in enumerate(feats)
        ]

    def _model_evidence(
        self,
        row: tuple[np.ndarray, np.ndarray],
        grams: Grams,
        best: int,
        hits: list[Hit],
        top: int,
    ) -> list[dict[str, Any]]:
        """The n-grams (2+ characters) that pushed this message most towards class ``best``."""
        feat, cols, starts, lens = grams
        if len(cols) == 0:
            return []
        idx, data = row  # the message's feature row, columns sorted
        pos = np.clip(np.searchsorted(idx, cols), 0, max(0, len(idx) - 1))
        w = np.where(idx[pos] == cols, data[pos], 0.0) if len(idx) else np.zeros(len(cols))
        contrib = w * self._direction(best, cols)
        ev: list[dict[str, Any]] = []
        seen = [h.phrase for h in hits]
        for j in np.argsort(-contrib)[: 8 * top + 8]:
            c = float(contrib[j])
            if c <= 0 or top <= 0:
                break
            name = feat[starts[j] : starts[j] + lens[j]]
            if not name.strip("0") or any(name in s or s in name for s in seen):
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
    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state.pop("_coef_t", None)  # derived; rebuilt on first use
        return state

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
