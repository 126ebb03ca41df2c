"""Learned URL risk model: hashed char n-grams of host and path + rule features, logistic regression.

The same rule features that explain a verdict (look-alike, brand in host, risky TLD …) are model
inputs, so a learned model and the rules agree on what matters. Train on a mix of full URLs and
their bare hosts (same label) so the model cannot score the *shape* of a URL instead of its risk.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp

from fanzha.detect.text.features import hashed_ngrams
from fanzha.detect.urls.rules import (
    ParsedURL,
    Reason,
    entropy,
    host_reasons,
    official_brand,
    parse_url,
    path_reasons_many,
    rule_score,
)

MODEL_FILE = "model.joblib"
META_FILE = "metadata.json"
N_HASH = 1 << 18
REASON_CODES = [
    "no_host", "ip_host", "shortener", "free_hosting", "risky_tld", "punycode", "brand_in_host",
    "lookalike", "pinyin_lure", "lure_word", "random_label", "deep_subdomain", "many_hyphens",
    "userinfo", "port", "brand_in_path", "pinyin_lure_path", "redirect", "apk",
]  # fmt: skip
_CODE_INDEX = {c: i for i, c in enumerate(REASON_CODES)}
N_DENSE = len(REASON_CODES) + 9


@dataclass
class UrlVerdict:
    is_risky: bool
    score: float
    reasons: list[str] = field(default_factory=list)
    registrable_domain: str = ""

    def reasons_text(self) -> str:
        return "; ".join(self.reasons)


def bare(url: str) -> str:
    """Scheme and host only."""
    p = parse_url(url)
    return f"{p.scheme or 'http'}://{p.ascii_host}/"


def _host_part(p: ParsedURL) -> tuple[np.ndarray, tuple[Reason, ...], float]:
    """Dense features, rule reasons and the rules' survival product that depend on the host only."""
    key = p.host
    hit = _HOST_PART.get(key)
    if hit is not None:
        return hit
    reasons = host_reasons(p.host, p.ascii_host, p.registrable, p.suffix, p.is_ip, p.punycode)
    v = np.zeros(N_DENSE, dtype=np.float32)
    for r in reasons:
        i = _CODE_INDEX.get(r.code, 0)
        v[i] = max(v[i], r.weight)
    k = len(REASON_CODES)
    h = p.ascii_host
    labels = h.split(".")
    v[k] = min(len(h), 80) / 80
    v[k + 1] = min(len(labels), 8) / 8
    v[k + 2] = len(_NOT_DIGIT.sub("", h)) / max(1, len(h))
    v[k + 3] = min(h.count("-"), 6) / 6
    v[k + 4] = entropy(max(labels, key=len)) / 5 if h else 0.0
    survive = 1.0
    for r in reasons:
        survive *= 1.0 - r.weight
    v[k + 6] = 1.0 if official_brand(p) is not None else 0.0
    if len(_HOST_PART) > 200_000:  # bounded memory on endless streams of new hosts
        _HOST_PART.clear()
    out = _HOST_PART[key] = (v, reasons, survive)
    return out


_HOST_PART: dict[str, tuple[np.ndarray, tuple[Reason, ...], float]] = {}
_NOT_DIGIT = re.compile(r"\D")


def _presence_block(docs: Sequence[str], rng: tuple[int, int]) -> sp.csr_matrix:
    """Hashed char n-gram presence (0/1), L2-normalised per row."""
    rows, cols, _, _ = hashed_ngrams(docs, rng, N_HASH)
    m = sp.csr_matrix(
        (np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(len(docs), N_HASH)
    )
    m.sum_duplicates()
    m.data[:] = 1.0
    cnt = np.diff(m.indptr).astype(np.float32)
    cnt[cnt == 0] = 1.0
    m.data /= np.repeat(np.sqrt(cnt), np.diff(m.indptr))
    return m


def featurize_parts(
    urls: Sequence[str],
    host_ngrams: tuple[int, int] = (3, 5),
    path_ngrams: tuple[int, int] = (3, 4),
    path_chars: int = 120,
    host_parts: bool = False,
) -> tuple[
    np.ndarray, list[tuple[sp.csr_matrix, np.ndarray | None]], list[ParsedURL], list[list[Reason]]
]:
    """Dense features and n-gram blocks (each with the row index mapping URLs to its rows, or
    None when it has one row per URL) of [dense rule features | host n-grams | path n-grams (| registrable-domain n-grams |
    subdomain n-grams)] for a batch of URLs.

    ``host_parts`` adds the registrable domain and the subdomain as blocks of their own: "paypal"
    in ``paypal.com.secure-x.top`` (subdomain) then weighs differently from ``paypal.com``.

    Work that depends only on the host (IDNA, public suffix, rules, host n-grams) is done once per
    distinct host of the batch and cached across batches; only the path part is per URL.
    """
    parsed = [parse_url(u if isinstance(u, str) else "") for u in urls]
    n = len(parsed)
    index: dict[str, int] = {}
    inv = np.fromiter((index.setdefault(p.host, len(index)) for p in parsed), np.int64, n)
    first: list[ParsedURL] = [None] * len(index)  # type: ignore[list-item]
    for p, i in zip(parsed, inv.tolist(), strict=True):
        if first[i] is None:
            first[i] = p
    parts = [_host_part(p) for p in first]
    dense = (
        np.vstack([v for v, _, _ in parts])[inv] if parts else np.zeros((0, N_DENSE), np.float32)
    )
    survive = np.fromiter((s for _, _, s in parts), np.float64, len(parts))[inv]
    k = len(REASON_CODES)
    reasons: list[list[Reason]] = []
    official = (dense[:, k + 6] > 0).tolist() if n else []
    for r, extra in enumerate(path_reasons_many(parsed, official)):
        rs = list(parts[inv[r]][1])
        if extra:
            for x in extra:
                i = _CODE_INDEX.get(x.code, 0)
                dense[r, i] = max(dense[r, i], x.weight)
                survive[r] *= 1.0 - x.weight
            rs += extra
        reasons.append(rs)
    if n:
        dense[:, k + 5] = 1.0 - survive
        dense[:, k + 7] = np.fromiter((p.scheme == "https" for p in parsed), np.float32, n)
        dense[:, k + 8] = np.fromiter(
            (0.0 if p.bare else min(len(p.path), 200) / 200 for p in parsed), np.float32, n
        )
    blocks: list[tuple[sp.csr_matrix, np.ndarray | None]] = [
        (_presence_block([p.ascii_host for p in first], host_ngrams), inv),
        (_presence_block([p.path[:path_chars].lower() for p in parsed], path_ngrams), None),
    ]
    if host_parts:
        regs = [f"^{p.registrable}$" for p in first]
        subs = [
            "^" + p.ascii_host[: -len(p.registrable)] if p.registrable and not p.is_ip else ""
            for p in first
        ]
        blocks.append((_presence_block(regs, (2, 5)), inv))
        blocks.append((_presence_block(subs, (2, 5)), inv))
    return dense, blocks, parsed, reasons


def featurize(
    urls: Sequence[str],
    host_ngrams: tuple[int, int] = (3, 5),
    path_ngrams: tuple[int, int] = (3, 4),
    path_chars: int = 120,
    host_parts: bool = False,
) -> tuple[sp.csr_matrix, list[ParsedURL], list[list[Reason]]]:
    """The feature matrix [dense | host | path (| registrable | subdomain)] for training."""
    dense, blocks, parsed, reasons = featurize_parts(
        urls, host_ngrams, path_ngrams, path_chars, host_parts
    )
    mats = [sp.csr_matrix(dense)] + [b if inv is None else b[inv] for b, inv in blocks]
    X = sp.hstack(mats, format="csr", dtype=np.float32)
    return X, parsed, reasons


_PAGE = re.compile(r"\.(?:php|html?|aspx?|jsp)\b")


def _structure(dense: np.ndarray, parsed: list[ParsedURL]) -> np.ndarray:
    """Dense rule features plus counts describing the URL's structure (for the stacked trees)."""
    n = len(parsed)
    hosts = [p.ascii_host for p in parsed]
    regs = np.fromiter((len(p.registrable) for p in parsed), np.float32, n)
    extra = np.zeros((n, 10), dtype=np.float32)
    if n >= 256:  # one vectorised pass per statistic
        import pyarrow as pa
        import pyarrow.compute as pc

        paths = pa.array([p.path for p in parsed], pa.string())
        cols = [
            pc.utf8_length(paths),
            pc.count_substring(paths, "/"),
            pc.count_substring(paths, "."),
            pc.add(pc.count_substring(paths, "="), pc.count_substring(paths, "&")),
            pc.count_substring_regex(paths, r"\p{Nd}"),
        ]
        for j, c in enumerate(cols):
            extra[:, j] = c.to_numpy(zero_copy_only=False)
        page = pc.match_substring_regex(paths, r"\.(?:php|html?|aspx?|jsp)\b")
        extra[:, 9] = page.to_numpy(zero_copy_only=False)
    else:
        for i, p in enumerate(parsed):
            extra[i, 0] = len(p.path)
            extra[i, 1] = p.path.count("/")
            extra[i, 2] = p.path.count(".")
            extra[i, 3] = p.path.count("=") + p.path.count("&")
            extra[i, 4] = len(_NOT_DIGIT.sub("", p.path))
            extra[i, 9] = _PAGE.search(p.path) is not None
    extra[:, 5] = np.fromiter((h.count(".") for h in hosts), np.float32, n)
    extra[:, 6] = np.fromiter((h.startswith("www.") for h in hosts), np.float32, n)
    extra[:, 7] = regs
    extra[:, 8] = np.fromiter((len(h) for h in hosts), np.float32, n) - regs
    return np.hstack([dense, extra])


class UrlModel:
    def __init__(
        self,
        C: float = 32.0,
        threshold: float = 0.5,
        combine: str = "model",
        host_ngrams: tuple[int, int] = (1, 5),
        path_ngrams: tuple[int, int] = (1, 5),
        path_chars: int = 300,
        host_parts: bool = False,
        stack: bool = False,
    ):
        self.C = C
        self.host_parts = host_parts
        # stack: gradient-boosted trees over the rule features, URL statistics and the linear
        # model's out-of-fold score (the linear model alone sees n-grams, the trees see structure).
        self.stack = stack
        self.booster: Any = None
        self.host_ngrams = tuple(host_ngrams)
        self.path_ngrams = tuple(path_ngrams)
        self.path_chars = path_chars
        self.threshold = threshold
        # "model": the probability decides; "max": rules can raise the score on their own and
        # official domains are capped (used by the shipped model, trained on generated material).
        self.combine = combine
        self.clf: Any = None

    def fit(self, urls: Sequence[str], labels: Sequence[int], with_bare: bool = True) -> UrlModel:
        from sklearn.linear_model import LogisticRegression

        urls = list(urls)
        y = np.asarray(labels, dtype=np.int8)
        if with_bare:
            urls = urls + [bare(u) for u in urls]
            y = np.concatenate([y, y])
        X, parsed, _ = self._featurize(urls)
        self.clf = LogisticRegression(C=self.C, max_iter=2000, solver="liblinear").fit(X, y)
        self.booster = None
        if getattr(self, "stack", False):
            self.booster = self._fit_stack(X, parsed, y, n_pairs=len(y) // 2 if with_bare else 0)
        return self

    def _fit_stack(
        self, X: sp.csr_matrix, parsed: list[ParsedURL], y: np.ndarray, n_pairs: int
    ) -> Any:
        """Trees on [structure | out-of-fold linear score]; a URL and its bare host share a fold."""
        import lightgbm as lgb
        from sklearn.linear_model import LogisticRegression

        n = len(y)
        group = np.arange(n) % n_pairs if n_pairs else np.arange(n)
        fold = np.random.default_rng(0).integers(0, 5, size=group.max() + 1)[group]
        oof = np.zeros(n)
        for f in range(5):
            tr, te = fold != f, fold == f
            if not te.any() or len(set(y[tr].tolist())) < 2:
                continue
            lr = LogisticRegression(C=self.C, max_iter=2000, solver="liblinear").fit(X[tr], y[tr])
            oof[te] = lr.predict_proba(X[te])[:, 1]
        S = np.column_stack([_structure(X[:, :N_DENSE].toarray(), parsed), oof])
        return lgb.LGBMClassifier(
            n_estimators=300,
            learning_rate=0.05,
            num_leaves=31,
            subsample=0.8,
            subsample_freq=1,
            colsample_bytree=0.8,
            random_state=0,
            n_jobs=1,
            verbose=-1,
        ).fit(S, y)

    def _featurize(self, urls: Sequence[str]):
        return featurize(
            urls,
            getattr(self, "host_ngrams", (3, 5)),
            getattr(self, "path_ngrams", (3, 4)),
            getattr(self, "path_chars", 120),
            getattr(self, "host_parts", False),
        )

    def _parts(self, urls: Sequence[str]):
        return featurize_parts(
            urls,
            getattr(self, "host_ngrams", (3, 5)),
            getattr(self, "path_ngrams", (3, 4)),
            getattr(self, "path_chars", 120),
            getattr(self, "host_parts", False),
        )

    def _proba(
        self,
        dense: np.ndarray,
        blocks: list[tuple[sp.csr_matrix, np.ndarray | None]],
        parsed: list[ParsedURL],
    ) -> np.ndarray:
        """Linear score block by block (host blocks once per distinct host), then the trees."""
        w = self.__dict__.get("_w")
        if w is None:
            w = self.__dict__["_w"] = np.ascontiguousarray(self.clf.coef_[0], dtype=np.float64)
        d = dense.astype(np.float64) @ w[:N_DENSE] + float(self.clf.intercept_[0])
        off = N_DENSE
        for b, inv in blocks:
            part = b @ w[off : off + b.shape[1]]
            d += part if inv is None else part[inv]
            off += b.shape[1]
        p = 1.0 / (1.0 + np.exp(-d))
        booster = getattr(self, "booster", None)
        if booster is None or not len(p):
            return p
        S = np.column_stack([_structure(dense, parsed), p])
        return booster.booster_.predict(S, num_threads=1)

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state.pop("_w", None)
        return state

    def predict_proba(self, urls: Sequence[str]) -> np.ndarray:
        dense, blocks, parsed, _ = self._parts(urls)
        return self._proba(dense, blocks, parsed)

    def score(self, urls: Sequence[str | None]) -> list[UrlVerdict]:
        clean = [u if isinstance(u, str) else "" for u in urls]
        if not clean:
            return []
        dense, blocks, parsed, reasons = self._parts(clean)
        proba = self._proba(dense, blocks, parsed)
        out = []
        for u, p, rs, pr in zip(clean, parsed, reasons, proba, strict=True):
            if not u.strip() or not p.host:
                out.append(UrlVerdict(False, 0.0, ["无法解析的网址"] if u.strip() else [], ""))
                continue
            s = float(pr)
            if self.combine == "max":
                s = max(s, rule_score(rs))
                if official_brand(p) is not None and not rs:
                    s = min(s, 0.05)
            texts = [r.text for r in sorted(rs, key=lambda r: -r.weight)]
            off = official_brand(p)
            if off is not None and not rs:
                texts.append(f"官方域名（{off.name}）")
            if s >= self.threshold and not rs:
                texts.append(f"模型判定与钓鱼网址特征相似（p={pr:.2f}）")
            out.append(UrlVerdict(s >= self.threshold, round(s, 4), texts, p.registrable))
        return out

    def save(self, directory: str | Path, metadata: dict[str, Any]) -> None:
        import joblib

        d = Path(directory)
        d.mkdir(parents=True, exist_ok=True)
        joblib.dump(self, d / MODEL_FILE, compress=3)
        (d / META_FILE).write_text(
            json.dumps(metadata, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )

    @staticmethod
    def load(directory: str | Path) -> UrlModel:
        import joblib

        m = joblib.load(Path(directory) / MODEL_FILE)
        if not isinstance(m, UrlModel):
            raise ValueError(f"{directory} 不是网址模型目录")
        return m
