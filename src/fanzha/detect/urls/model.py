"""Learned URL risk model on columnar features: hashed char n-grams + rule and shape features.

Blocks (all hashed, no fitted vocabulary): the host, its registrable domain and its sub-domain
(once per distinct host of a batch), and the path (per URL). Dense features are the rule weights
per reason code and a few length/count statistics. A logistic regression scores the blocks; an
optional small gradient-boosted model re-ranks on [dense | linear score].

Training sees every URL twice, as given and as its bare host (same label), so the model judges
the host and cannot score the *shape* of a URL instead of its risk.
"""

from __future__ import annotations

import gc
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import scipy.sparse as sp

from fanzha.detect.urls import batch as B
from fanzha.detect.urls.hashing import (
    count_bytes,
    ngram_columns,
    ngram_scores,
    row_norms,
    word_columns,
)
from fanzha.detect.urls.rules import Reason, lists, parse_url, rule_score

MODEL_FILE = "model.joblib"
META_FILE = "metadata.json"
FORMAT_VERSION = 2
N_HASH = 1 << 18
REASON_CODES = [
    "no_host", "ip_host", "shortener", "free_hosting", "risky_tld", "punycode", "brand_in_host",
    "lookalike", "pinyin_lure", "lure_word", "random_label", "deep_subdomain", "many_hyphens",
    "userinfo", "port", "brand_in_path", "pinyin_lure_path", "redirect", "apk",
]  # fmt: skip
_CODE_INDEX = {c: i for i, c in enumerate(REASON_CODES)}
_K = len(REASON_CODES)
HOST_STATS = [
    "host_len", "labels", "digit_frac", "hyphens", "sub_len", "reg_len", "www", "official",
    "rule_score", "ip", "underscore",
]  # fmt: skip
URL_STATS = [
    "https", "bare", "path_len", "slashes", "dots", "params", "digits", "page_ext", "query",
    "url_rule_score", "at_path",
]  # fmt: skip
N_DENSE = _K + len(HOST_STATS) + len(URL_STATS)
# salts of the hashed blocks
_HOST, _REG, _SUB, _PATH, _WORDS = 1, 2, 3, 4, 5


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


@dataclass
class Features:
    """A batch as features: dense rows per URL, hashed blocks per host or per URL."""

    urls: B.Urls
    dense: np.ndarray  # (n, N_DENSE) float32
    host_blocks: list[tuple[pa.Array, tuple[int, int] | None, int]]  # per host: (docs, n, salt)
    path_blocks: list[tuple[pa.Array, tuple[int, int] | None, int]]  # per URL; n None: words
    path_reasons: list[list[Reason] | None]


def _columns(arr: pa.Array, rng: tuple[int, int] | None, salt: int) -> tuple[np.ndarray, ...]:
    """(row, column, value) of a hashed block: n-grams (``rng``) or whole words (None)."""
    if rng is None:
        rows, cols = word_columns(arr, N_HASH, salt)
    else:
        rows, cols = ngram_columns(arr, rng, N_HASH, salt)
    return rows, cols, row_norms(rows, len(arr))[rows]


def _scores(arr: pa.Array, rng: tuple[int, int] | None, salt: int, w: np.ndarray) -> np.ndarray:
    if rng is None:
        rows, cols, vals = _columns(arr, None, salt)
        return np.bincount(rows, weights=w[cols] * vals, minlength=len(arr))
    return ngram_scores(arr, rng, w, salt)


def _np(a: pa.Array) -> np.ndarray:
    return a.to_numpy(zero_copy_only=False)


def _host_dense(H: B.Hosts) -> tuple[np.ndarray, np.ndarray]:
    """(rule weights | host statistics) per host, and the rules' survival product per host."""
    n = len(H)
    v = np.zeros((n, _K + len(HOST_STATS)), np.float32)
    survive = np.ones(n)
    for i, rs in enumerate(H.reasons):
        if rs:
            for r in rs:
                j = _CODE_INDEX.get(r.code, 0)
                v[i, j] = max(v[i, j], r.weight)
                survive[i] *= 1.0 - r.weight
    a = H.ascii
    hl = _np(pc.utf8_length(a)).astype(np.float32)
    rl = _np(pc.utf8_length(H.registrable)).astype(np.float32)
    k = _K
    v[:, k] = np.minimum(hl, 80) / 80
    v[:, k + 1] = np.minimum(_np(pc.count_substring(a, ".")) + 1, 8) / 8
    v[:, k + 2] = count_bytes(a, 48, 57) / np.maximum(hl, 1)
    v[:, k + 3] = np.minimum(_np(pc.count_substring(a, "-")), 6) / 6
    v[:, k + 4] = np.minimum(np.maximum(hl - rl - 1, 0), 40) / 40
    v[:, k + 5] = np.minimum(rl, 40) / 40
    v[:, k + 6] = _np(pc.starts_with(a, "www."))
    v[:, k + 7] = H.official
    v[:, k + 8] = 1.0 - survive
    v[:, k + 9] = H.is_ip
    v[:, k + 10] = _np(pc.count_substring(a, "_")) > 0
    return v, survive


def _sub_domains(H: B.Hosts) -> pa.Array:
    """'^' + the host minus its registrable domain ('' for IPs and bare registrable domains)."""
    hl = pc.utf8_length(H.ascii)
    rl = pc.utf8_length(H.registrable)
    cut = _np(pc.subtract(hl, rl)) - 1
    subs = pc.utf8_slice_codeunits(H.ascii, 0, 0)  # empty strings of the right length
    has = cut > 0
    if has.any():
        idx = np.flatnonzero(has)
        vals = [
            a[:c]
            for a, c in zip(H.ascii.take(pa.array(idx)).to_pylist(), cut[idx].tolist(), strict=True)
        ]
        full = subs.to_pylist()
        for i, s in zip(idx.tolist(), vals, strict=True):
            full[i] = "^" + s
        subs = pa.array(full, pa.string())
    return subs


def featurize(
    urls: Sequence[str], path_chars: int = 100, use_scheme: bool = True, words: bool = False
) -> Features:
    """Features of a batch; host work once per distinct host of the batch."""
    U = B.parse_batch(list(urls))
    H = U.hosts
    n = len(U)
    hd, _ = _host_dense(H)
    pr = B.path_reasons(U)
    dense = np.zeros((n, N_DENSE), np.float32)
    dense[:, : hd.shape[1]] = hd[U.host_id]
    survive = 1.0 - dense[:, _K + 8].astype(np.float64)
    for i, extra in enumerate(pr):
        if extra:
            for x in extra:
                j = _CODE_INDEX.get(x.code, 0)
                dense[i, j] = max(dense[i, j], x.weight)
                survive[i] *= 1.0 - x.weight
    path = U.path
    plen = _np(pc.utf8_length(path)).astype(np.float32)
    o = _K + len(HOST_STATS)
    if use_scheme:
        dense[:, o] = _np(pc.equal(U.scheme, "https"))
    is_bare = _np(pc.match_substring_regex(path, r"^/*$"))
    dense[:, o + 1] = is_bare
    dense[:, o + 2] = np.minimum(plen, 200) / 200
    dense[:, o + 3] = np.minimum(_np(pc.count_substring(path, "/")), 12) / 12
    dense[:, o + 4] = np.minimum(_np(pc.count_substring(path, ".")), 8) / 8
    dense[:, o + 5] = (
        np.minimum(_np(pc.count_substring(path, "=")) + _np(pc.count_substring(path, "&")), 10) / 10
    )
    dense[:, o + 6] = count_bytes(path, 48, 57) / np.maximum(plen, 1)
    dense[:, o + 7] = _np(pc.match_substring_regex(path, r"\.(?:php|html?|aspx?|jsp)\b"))
    dense[:, o + 8] = _np(pc.match_substring(path, "?"))
    dense[:, o + 9] = 1.0 - survive
    dense[:, o + 10] = U.userinfo
    marked = pc.binary_join_element_wise("^", H.ascii, "$", "")
    regs = pc.binary_join_element_wise("^", H.registrable, "$", "")
    host_blocks = [
        (marked, (3, 5), _HOST),
        (regs, (2, 5), _REG),
        (_sub_domains(H), (2, 4), _SUB),
    ]
    low = pc.utf8_lower(pc.utf8_slice_codeunits(path, 0, path_chars))
    path_blocks = [(low, (3, 5), _PATH)]
    if words:
        path_blocks.append((pc.utf8_lower(path), None, _WORDS))
    return Features(U, dense, host_blocks, path_blocks, pr)


def design_matrix(F: Features) -> sp.csr_matrix:
    """[dense | host | registrable | sub-domain | path] as one CSR matrix (training)."""
    n, nh = len(F.urls), len(F.urls.hosts)
    mats = [sp.csr_matrix(F.dense)]
    for docs, rng, salt in F.host_blocks:
        rows, cols, vals = _columns(docs, rng, salt)
        m = sp.csr_matrix((vals.astype(np.float32), (rows, cols)), shape=(nh, N_HASH))
        mats.append(m[F.urls.host_id])
    for docs, rng, salt in F.path_blocks:
        rows, cols, vals = _columns(docs, rng, salt)
        mats.append(sp.csr_matrix((vals.astype(np.float32), (rows, cols)), shape=(n, N_HASH)))
    return sp.hstack(mats, format="csr", dtype=np.float32)


class UrlModel:
    def __init__(
        self,
        C: float = 8.0,
        threshold: float = 0.5,
        combine: str = "model",
        path_chars: int = 100,
        stack: bool = False,
        use_scheme: bool = True,
        trees: int = 120,
        words: bool = False,
    ):
        self.format_version = FORMAT_VERSION
        self.C = C
        self.threshold = threshold
        # "model": the probability decides; "max": rules can raise the score on their own and
        # official domains are capped (used by the shipped model, trained on generated material).
        self.combine = combine
        self.path_chars = path_chars
        self.stack = stack
        self.use_scheme = use_scheme
        self.trees = trees
        self.words = words
        self.coef: np.ndarray | None = None
        self.intercept = 0.0
        self.booster: Any = None  # lightgbm.Booster on [dense | linear logit]

    # -- training ------------------------------------------------------------------------------

    def _features(self, urls: Sequence[str]) -> Features:
        return featurize(urls, self.path_chars, self.use_scheme, self.words)

    def fit(self, urls: Sequence[str], labels: Sequence[int], with_bare: bool = True) -> UrlModel:
        from sklearn.linear_model import LogisticRegression

        urls = [u if isinstance(u, str) else "" for u in urls]
        y = np.asarray(labels, dtype=np.int8)
        n0 = len(urls)
        if with_bare:
            urls = urls + [bare(u) for u in urls]
            y = np.concatenate([y, y])
        F = self._features(urls)
        X = design_matrix(F)
        clf = LogisticRegression(C=self.C, max_iter=3000, solver="liblinear").fit(X, y)
        self.coef = np.ascontiguousarray(clf.coef_[0], dtype=np.float64)
        self.intercept = float(clf.intercept_[0])
        self.booster = None
        self.__dict__.pop("_w32", None)
        if self.stack:
            group = np.arange(len(y)) % n0 if with_bare else np.arange(len(y))
            fold = np.random.default_rng(0).integers(0, 5, size=n0)[group]
            oof = np.zeros((len(y), 3))
            bounds = [N_DENSE, N_DENSE + len(F.host_blocks) * N_HASH, X.shape[1]]
            for f in range(5):
                tr, te = fold != f, fold == f
                if not te.any() or len(set(y[tr].tolist())) < 2:
                    continue
                lr = LogisticRegression(C=self.C, max_iter=3000, solver="liblinear")
                lr.fit(X[tr], y[tr])
                coef = lr.coef_[0]
                oof[te, 0] = lr.decision_function(X[te])
                oof[te, 1] = X[te][:, bounds[0] : bounds[1]] @ coef[bounds[0] : bounds[1]]
                oof[te, 2] = X[te][:, bounds[1] : bounds[2]] @ coef[bounds[1] : bounds[2]]
            self.booster = self._fit_trees(np.column_stack([F.dense, oof]), y)
        return self

    def _fit_trees(self, S: np.ndarray, y: np.ndarray) -> Any:
        import lightgbm as lgb

        params = {
            "objective": "binary",
            "learning_rate": 0.08,
            "num_leaves": 15,
            "min_data_in_leaf": 20,
            "bagging_fraction": 0.8,
            "bagging_freq": 1,
            "feature_fraction": 0.8,
            "seed": 0,
            "num_threads": 1,
            "verbose": -1,
        }
        return lgb.train(params, lgb.Dataset(S, y), num_boost_round=self.trees)

    # -- scoring -------------------------------------------------------------------------------

    def _logit(self, F: Features) -> np.ndarray:
        """Linear score split in parts: columns [total, host n-grams, path n-grams]."""
        w = self.coef
        if w is None:
            raise ValueError("模型尚未训练")
        w32 = self.__dict__.get("_w32")
        if w32 is None:  # hashed weights as float32: half the cache footprint of the lookups
            w32 = self.__dict__["_w32"] = w.astype(np.float32)
        d = F.dense.astype(np.float64) @ w[:N_DENSE] + self.intercept
        host = np.zeros(len(d))
        path = np.zeros(len(d))
        off = N_DENSE
        for docs, rng, salt in F.host_blocks:
            host += _scores(docs, rng, salt, w32[off : off + N_HASH])[F.urls.host_id]
            off += N_HASH
        for docs, rng, salt in F.path_blocks:
            path += _scores(docs, rng, salt, w32[off : off + N_HASH])
            off += N_HASH
        return np.column_stack([d + host + path, host, path])

    def _proba(self, F: Features) -> np.ndarray:
        z = self._logit(F)
        if self.booster is not None and len(z):
            return self.booster.predict(np.column_stack([F.dense, z]), num_threads=1)
        return 1.0 / (1.0 + np.exp(-z[:, 0]))

    def predict_proba(self, urls: Sequence[str]) -> np.ndarray:
        return self._proba(self._features(urls))

    def score(self, urls: Sequence[str | None]) -> list[UrlVerdict]:
        # A batch allocates one verdict per URL and nothing cyclic: pausing the cyclic garbage
        # collector meanwhile spares full-heap scans (model weights, host caches) mid-batch.
        enabled = gc.isenabled()
        gc.disable()
        try:
            return self._score(urls)
        finally:
            if enabled:
                gc.enable()

    def _score(self, urls: Sequence[str | None]) -> list[UrlVerdict]:
        clean = [u if isinstance(u, str) else "" for u in urls]
        if not clean:
            return []
        F = self._features(clean)
        proba = self._proba(F)
        U, H = F.urls, F.urls.hosts
        L = lists()
        regs = H.registrable.to_pylist()
        maxed = self.combine == "max"
        thr = self.threshold
        out = []
        for i, (u, pr, hid) in enumerate(
            zip(clean, proba.tolist(), U.host_id.tolist(), strict=True)
        ):
            if not H.key[hid]:
                bad = u.strip() != ""
                out.append(UrlVerdict(False, 0.0, ["无法解析的网址"] if bad else [], ""))
                continue
            hr, extra = H.reasons[hid], F.path_reasons[i]
            rs = list(hr) + extra if extra else hr
            s = pr
            off = None
            if H.official[hid]:
                off = L.official.get(regs[hid]) or L.official.get("gov.cn")
            if maxed and rs:
                s = max(s, rule_score(list(rs)))
            if maxed and off is not None and not rs:
                s = min(s, 0.05)
            texts = [r.text for r in sorted(rs, key=lambda r: -r.weight)] if rs else []
            if off is not None and not rs:
                texts.append(f"官方域名（{off.name}）")
            if s >= thr and not rs:
                texts.append(f"模型判定与钓鱼网址特征相似（p={pr:.2f}）")
            out.append(UrlVerdict(s >= thr, round(s, 4), texts, regs[hid]))
        return out

    # -- persistence ---------------------------------------------------------------------------

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state.pop("_w32", None)
        if state.get("booster") is not None:
            state["booster"] = state["booster"].model_to_string()
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        if state.get("format_version") != FORMAT_VERSION:
            raise ValueError(
                f"网址模型格式版本 {state.get('format_version', 1)} 与当前版本 {FORMAT_VERSION} "
                "不兼容，请用 fanzha url train 重新训练"
            )
        b = state.get("booster")
        if isinstance(b, str):
            import lightgbm as lgb

            state["booster"] = lgb.Booster(model_str=b)
        self.__dict__.update(state)

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
