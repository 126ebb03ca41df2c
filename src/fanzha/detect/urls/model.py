"""Learned URL risk model on columnar features: hashed char n-grams + rule and shape features.

Blocks (all hashed, no fitted vocabulary): the host, its registrable domain and its sub-domain
(once per distinct host of a batch), and the path (per URL). Dense features are the rule weights
per reason code and a few length/count statistics. A logistic regression scores the blocks; an
optional small gradient-boosted model re-ranks on [dense | linear score].

Training sees every URL twice, as given and as its bare host (same label), so the model judges
the host and cannot score the *shape* of a URL instead of its risk.
"""

from __future__ import annotations

import ctypes
import gc
import json
import operator
import re
import threading
import weakref
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import repeat
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import scipy.sparse as sp

from fanzha.detect.urls import batch as B
from fanzha.detect.urls.hashing import (
    byte_counts,
    column_bytes,
    count_bytes,
    ngram_columns,
    ngram_score_one,
    ngram_scores,
    row_norms,
    word_columns,
    word_score_one,
)
from fanzha.detect.urls.rules import (
    ParsedURL,
    Reason,
    _split,
    host_facts,
    host_reasons,
    lists,
    parse_url,
    rule_score,
)
from fanzha.detect.urls.rules import path_reasons as rules_path_reasons

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
# up to this many URLs per call, each is scored on its own (:meth:`UrlModel._score_one`): the
# columnar path's fixed costs (pyarrow kernels, RE2 compiles, numpy passes) exceed the work
SMALL_BATCH = 16
_MODEL_TEXT = "模型判定与钓鱼网址特征相似（p={:.2f}）"
HOST_CACHE = 65_536  # hosts whose features and host scores a model keeps (per process)
_WEIGHT = operator.attrgetter("weight")
_PAGE_EXT = re.compile(r"\.(?:php|html?|aspx?|jsp)\b", re.ASCII)  # RE2's \b is ASCII too
# a leading "www." label of the host (kept when nothing but the suffix would remain)
_WWW = re.compile(r"^(\s*(?:[A-Za-z][A-Za-z0-9+.-]*:)?//)?www\.(?=[^/?#@:]*\.)", re.IGNORECASE)
WWW_MODES = ("keep", "strip", "augment")


def strip_www(url: str) -> str:
    """The URL with a leading ``www.`` host label removed (once)."""
    return _WWW.sub(r"\1", url, count=1)


def add_www(url: str) -> str:
    """The URL with ``www.`` put before its host (unless it starts with one already)."""
    if _WWW.match(url):
        return url
    p = parse_url(url)
    h = p.ascii_host
    if not h or p.is_ip:
        return url
    i = url.find(h) if h in url else url.lower().find(h)
    return url if i < 0 else url[:i] + "www." + url[i:]


class _OneRow:
    """LightGBM's single-row predictor (C API ``…SingleRowFast``) for one booster: the same trees
    and arithmetic as ``Booster.predict``, without its per-call Python set-up (~50 µs)."""

    def __init__(self, booster: Any, ncol: int):
        from lightgbm.basic import _LIB, _c_str, _safe_call

        self.booster = booster  # the config points into it: keep it alive
        self._call = _LIB.LGBM_BoosterPredictForMatSingleRowFast
        self._check = _safe_call
        self.handle = ctypes.c_void_p()
        it = booster.best_iteration if booster.best_iteration > 0 else -1
        _safe_call(
            _LIB.LGBM_BoosterPredictForMatSingleRowFastInit(
                booster._handle,
                ctypes.c_int(0),  # C_API_PREDICT_NORMAL
                ctypes.c_int(0),
                ctypes.c_int(it),
                ctypes.c_int(1),  # C_API_DTYPE_FLOAT64
                ctypes.c_int32(ncol),
                _c_str("num_threads=1"),
                ctypes.byref(self.handle),
            )
        )
        weakref.finalize(self, _LIB.LGBM_FastConfigFree, self.handle)
        self.x = np.zeros(ncol)
        self._out = np.zeros(1)
        self._out_len = ctypes.c_int64()
        self._args = (
            self.handle,
            self.x.ctypes.data_as(ctypes.c_void_p),
            ctypes.byref(self._out_len),
            self._out.ctypes.data_as(ctypes.POINTER(ctypes.c_double)),
        )
        self.lock = threading.Lock()

    def __call__(self, dense: np.ndarray, z: tuple[float, float, float]) -> float:
        with self.lock:
            x = self.x
            n = len(dense)
            x[:n] = dense
            x[n:] = z
            self._check(self._call(*self._args))
            return float(self._out[0])


class _HostEntry(NamedTuple):
    """One host's facts and share of a URL's features and linear score (cached per model)."""

    hd: np.ndarray  # rows of (rule weights | host statistics), float32; this host's is row i
    i: int
    host: float  # host + registrable + sub-domain n-gram scores
    reasons: tuple[Reason, ...]
    official: bool
    reg: str
    suf: str
    uni: str
    asc: str
    is_ip: bool
    puny: bool


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
    host_score: np.ndarray | None = None  # per host: the host blocks' linear score (cached)


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
    # (host, code, weight) of every reason in order: one ufunc.at pass each (in order, so the
    # products are the same as a per-host loop's)
    hit = [(i, r) for i, rs in enumerate(H.reasons) if rs for r in rs]
    if hit:
        code = _CODE_INDEX.get
        rows = np.array([i for i, _ in hit], np.int64)
        cols = np.array([code(r.code, 0) for _, r in hit], np.int64)
        w = np.array([r.weight for _, r in hit])
        np.maximum.at(v, (rows, cols), w.astype(np.float32))
        np.multiply.at(survive, rows, 1.0 - w)
    a = H.ascii
    hl = _np(pc.utf8_length(a)).astype(np.float32)
    rl = _np(pc.utf8_length(H.registrable)).astype(np.float32)
    k = _K
    dots, dashes, unders = byte_counts(a, b".-_")
    v[:, k] = np.minimum(hl, 80) / 80
    v[:, k + 1] = np.minimum(dots + 1, 8) / 8
    v[:, k + 2] = count_bytes(a, 48, 57) / np.maximum(hl, 1)
    v[:, k + 3] = np.minimum(dashes, 6) / 6
    v[:, k + 4] = np.minimum(np.maximum(hl - rl - 1, 0), 40) / 40
    v[:, k + 5] = np.minimum(rl, 40) / 40
    v[:, k + 6] = _np(pc.starts_with(a, "www."))
    v[:, k + 7] = H.official
    v[:, k + 8] = 1.0 - survive
    v[:, k + 9] = H.is_ip
    v[:, k + 10] = unders > 0
    return v, survive


def _sub_domains(H: B.Hosts) -> pa.Array:
    """'^' + the host minus its registrable domain ('' for IPs and bare registrable domains)."""
    hl = pc.utf8_length(H.ascii)
    rl = pc.utf8_length(H.registrable)
    cut = _np(pc.subtract(hl, rl)) - 1
    has = cut > 0
    if not has.any():
        return pc.utf8_slice_codeunits(H.ascii, 0, 0)  # empty strings of the right length
    data, off = column_bytes(H.ascii)
    if not len(data) or data.max() < 128:  # ASCII: characters are bytes, cut as byte ranges
        start = off[:-1]
        subs = B._take_ranges(data, start, start + np.where(has, cut, 0))
        return pc.if_else(has, pc.binary_join_element_wise("^", subs, ""), "")
    full = [""] * len(has)
    for i, a, c in zip(
        np.flatnonzero(has).tolist(),
        H.ascii.take(pa.array(np.flatnonzero(has))).to_pylist(),
        cut[has].tolist(),
        strict=True,
    ):
        full[i] = "^" + a[:c]
    return pa.array(full, pa.string())


def _concat_hosts(a: B.Hosts, b: B.Hosts) -> B.Hosts:
    """Host table ``a`` followed by ``b``."""
    return B.Hosts(
        key=a.key + b.key,
        host=a.host + b.host,
        ascii=pa.concat_arrays([a.ascii, b.ascii]),
        registrable=pa.concat_arrays([a.registrable, b.registrable]),
        suffix=pa.concat_arrays([a.suffix, b.suffix]),
        reg_list=a.reg_list + b.reg_list,
        suf_list=a.suf_list + b.suf_list,
        is_ip=np.concatenate([a.is_ip, b.is_ip]),
        punycode=np.concatenate([a.punycode, b.punycode]),
        official=np.concatenate([a.official, b.official]),
        reasons=a.reasons + b.reasons,
    )


def _round4(p: np.ndarray) -> list[float]:
    """``round(x, 4)`` of each value, as Python rounds (correctly, from x's exact value):
    rint(x * 1e4) / 1e4 is that number (an exact integer over 1e4, rounded once) unless x * 1e4
    lies within its rounding error of a half; those few take Python's ``round``."""
    y = p * 1e4
    out = (np.rint(y) / 1e4).tolist()
    for i in np.flatnonzero(np.abs(y - np.floor(y) - 0.5) < 1e-6).tolist():
        out[i] = round(float(p[i]), 4)
    return out


def featurize(
    urls: Sequence[str], path_chars: int = 100, use_scheme: bool = True, words: bool = False
) -> Features:
    """Features of a batch; host work once per distinct host of the batch."""
    U = B.parse_batch(list(urls))
    H = U.hosts
    hd, _ = _host_dense(H)
    dense, path_blocks, pr = _url_features(U, hd, path_chars, use_scheme, words)
    return Features(U, dense, _host_blocks(H), path_blocks, pr)


Blocks = list[tuple[pa.Array, tuple[int, int] | None, int]]


def _host_blocks(H: B.Hosts) -> Blocks:
    marked = pc.binary_join_element_wise("^", H.ascii, "$", "")
    regs = pc.binary_join_element_wise("^", H.registrable, "$", "")
    return [
        (marked, (3, 5), _HOST),
        (regs, (2, 5), _REG),
        (_sub_domains(H), (2, 4), _SUB),
    ]


def _url_features(
    U: B.Urls, hd: np.ndarray, path_chars: int, use_scheme: bool, words: bool
) -> tuple[np.ndarray, Blocks, list[list[Reason] | None]]:
    """Dense rows (``hd``: host part per distinct host), path blocks and path reasons per URL."""
    n = len(U)
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
    slash, dot, eq, amp, qm = byte_counts(path, b"/.=&?")
    o = _K + len(HOST_STATS)
    if use_scheme:
        dense[:, o] = _np(pc.equal(U.scheme, "https"))
    dense[:, o + 1] = slash == np.diff(column_bytes(path)[1])  # "^/*$": nothing but slashes
    dense[:, o + 2] = np.minimum(plen, 200) / 200
    dense[:, o + 3] = np.minimum(slash, 12) / 12
    dense[:, o + 4] = np.minimum(dot, 8) / 8
    dense[:, o + 5] = np.minimum(eq + amp, 10) / 10
    dense[:, o + 6] = count_bytes(path, 48, 57) / np.maximum(plen, 1)
    dense[:, o + 7] = _np(pc.match_substring_regex(path, r"\.(?:php|html?|aspx?|jsp)\b"))
    dense[:, o + 8] = qm > 0
    dense[:, o + 9] = 1.0 - survive
    dense[:, o + 10] = U.userinfo
    low = pc.utf8_lower(pc.utf8_slice_codeunits(path, 0, path_chars))
    path_blocks: Blocks = [(low, (3, 5), _PATH)]
    if words:
        path_blocks.append((pc.utf8_lower(path), None, _WORDS))
    return dense, path_blocks, pr


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
        www: str = "keep",
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
        # "keep": hosts as given; "strip": a leading "www." is removed before any feature (both
        # scoring paths and training); "augment": training also sees each URL with "www." removed
        # and added (same label), so that the label cannot lean on it
        if www not in WWW_MODES:
            raise ValueError(f"www 取值应为 {WWW_MODES}")
        self.www = www
        self.coef: np.ndarray | None = None
        self.intercept = 0.0
        self.booster: Any = None  # lightgbm.Booster on [dense | linear logit]

    # -- training ------------------------------------------------------------------------------

    def _norm(self, urls: list[str]) -> list[str]:
        return [strip_www(u) for u in urls] if self.www == "strip" else urls

    def _features(self, urls: Sequence[str]) -> Features:
        urls = self._norm(list(urls))
        return featurize(urls, self.path_chars, self.use_scheme, self.words)

    def fit(
        self,
        urls: Sequence[str],
        labels: Sequence[int],
        with_bare: bool = True,
        bare_labels: Sequence[int] | None = None,
    ) -> UrlModel:
        """Fit on ``urls`` and, with ``with_bare``, on their bare hosts too.

        ``bare_labels`` label the bare copies when a URL's label does not carry over to its
        host: phishing kits on hacked ordinary sites sit on hosts that are themselves innocent.
        """
        from sklearn.linear_model import LogisticRegression

        urls = [u if isinstance(u, str) else "" for u in urls]
        y = np.asarray(labels, dtype=np.int8)
        n0 = len(urls)
        if with_bare:
            urls = urls + [bare(u) for u in urls]
            yb = y if bare_labels is None else np.asarray(bare_labels, dtype=np.int8)
            if len(yb) != n0:
                raise ValueError("bare_labels must have one label per URL")
            y = np.concatenate([y, yb])
        n1 = len(urls)
        if self.www == "augment":
            urls = urls + [strip_www(u) for u in urls] + [add_www(u) for u in urls]
            y = np.concatenate([y, y, y])
        F = self._features(urls)
        X = design_matrix(F)
        clf = LogisticRegression(C=self.C, max_iter=3000, solver="liblinear").fit(X, y)
        self.coef = np.ascontiguousarray(clf.coef_[0], dtype=np.float64)
        self.intercept = float(clf.intercept_[0])
        self.booster = None
        self.__dict__.pop("_w32", None)
        self.__dict__.pop("_hosts", None)
        self.__dict__.pop("_one", None)
        if self.stack:
            group = np.arange(len(y)) % n1 % n0
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
        w32 = self._weights32()
        d = F.dense.astype(np.float64) @ w[:N_DENSE] + self.intercept
        host = np.zeros(len(d))
        path = np.zeros(len(d))
        off = N_DENSE
        if F.host_score is not None:
            host += F.host_score[F.urls.host_id]
            off += 3 * N_HASH
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
        if len(clean) <= SMALL_BATCH:
            return [self._score_one(u) for u in clean]
        F = self._features_cached(clean)
        proba = self._proba(F)
        U, H = F.urls, F.urls.hosts
        regs, keys, reasons, official = H.reg_list, H.key, H.reasons, H.official.tolist()
        thr = self.threshold
        # the rules' share of a verdict, once per host (URLs without path reasons)
        parts: dict[int, tuple[float | None, float | None, tuple[str, ...], bool]] = {}
        out: list[UrlVerdict] = []
        add = out.append
        for u, pr, r4, hid, extra in zip(
            clean, proba.tolist(), _round4(proba), U.host_id.tolist(), F.path_reasons, strict=True
        ):
            hr = reasons[hid]
            if extra or not keys[hid]:
                add(self._verdict(u, pr, keys[hid], hr, extra, official[hid], regs[hid]))
            elif hr or official[hid]:
                part = parts.get(hid)
                if part is None:
                    part = parts[hid] = self._rules_part(hr, official[hid], regs[hid])
                add(self._finish(pr, part, regs[hid]))
            elif pr >= thr:  # no rule, not official: _finish's answer, inline (most URLs)
                add(UrlVerdict(True, r4, [_MODEL_TEXT.format(pr)], regs[hid]))
            else:
                add(UrlVerdict(False, r4, [], regs[hid]))
        return out

    def _verdict(
        self,
        u: str,
        pr: float,
        key: str,
        hr: tuple[Reason, ...],
        extra: list[Reason] | None,
        official: bool,
        reg: str,
    ) -> UrlVerdict:
        """Model probability + rules -> verdict (one definition for the batch and single paths)."""
        if not key:
            bad = u.strip() != ""
            return UrlVerdict(False, 0.0, ["无法解析的网址"] if bad else [], "")
        rs = list(hr) + extra if extra else hr
        return self._finish(pr, self._rules_part(rs, official, reg), reg)

    def _rules_part(
        self, rs: Sequence[Reason], official: bool, reg: str
    ) -> tuple[float | None, float | None, tuple[str, ...], bool]:
        """What the reasons ``rs`` and the official-domain list make of a verdict, whatever the
        probability: (score floor, score cap, texts, whether the model's text may follow)."""
        off = None
        if official:
            L = lists()
            off = L.official.get(reg) or L.official.get("gov.cn")
        maxed = self.combine == "max"
        floor = rule_score(rs) if maxed and rs else None
        cap = 0.05 if maxed and off is not None and not rs else None
        # a stable sort by weight, heaviest first (reverse=True keeps ties in order)
        texts = [r.text for r in sorted(rs, key=_WEIGHT, reverse=True)] if rs else []
        if off is not None and not rs:
            texts.append(f"官方域名（{off.name}）")
        return floor, cap, tuple(texts), not rs

    def _finish(
        self, pr: float, part: tuple[float | None, float | None, tuple[str, ...], bool], reg: str
    ) -> UrlVerdict:
        floor, cap, texts, model_text = part
        s = pr
        if floor is not None:
            s = max(s, floor)
        if cap is not None:
            s = min(s, cap)
        thr = self.threshold
        out = list(texts)
        if s >= thr and model_text:
            out.append(_MODEL_TEXT.format(pr))
        return UrlVerdict(s >= thr, round(s, 4), out, reg)

    # -- one URL at a time ---------------------------------------------------------------------

    def _host_one(self, key: str, path_doc: bytes | None = None) -> tuple[_HostEntry, float]:
        """Per-host part of :func:`featurize` and :meth:`_logit` for one host, cached by host key
        (the same numbers as the columnar path: same operations, float32 where it rounds), and
        the path n-gram score of ``path_doc`` (lower-cased path bytes)."""
        cache = self._host_cache(1)
        e = cache.get(key)
        if e is not None:
            return e, self._path_score(path_doc)
        a, uni, puny, ip, reg, suf = host_facts(key)
        L = lists()
        official = bool((reg in L.official or suf.endswith("gov.cn")) and not ip and a)
        reasons = host_reasons(uni, a, reg, suf, ip, puny) if key else ()
        v = [0.0] * (_K + len(HOST_STATS))
        survive = 1.0
        for r in reasons:
            j = _CODE_INDEX.get(r.code, 0)
            v[j] = max(v[j], r.weight)
            survive *= 1.0 - r.weight
        hl, rl = len(a), len(reg)
        k = _K
        v[k] = min(hl, 80) / 80
        v[k + 1] = min(a.count(".") + 1, 8) / 8
        v[k + 2] = sum(a.count(c) for c in "0123456789") / max(hl, 1)
        v[k + 3] = min(a.count("-"), 6) / 6
        v[k + 4] = min(max(hl - rl - 1, 0), 40) / 40
        v[k + 5] = min(rl, 40) / 40
        v[k + 6] = float(a.startswith("www."))
        v[k + 7] = float(official)
        v[k + 8] = 1.0 - survive
        v[k + 9] = float(ip)
        v[k + 10] = float("_" in a)
        w32 = self._weights32()
        cut = hl - rl - 1
        sub = "^" + a[:cut] if cut > 0 else ""
        host = 0.0
        off = N_DENSE
        for doc, rng, salt in (
            ("^" + a + "$", (3, 5), _HOST),
            ("^" + reg + "$", (2, 5), _REG),
            (sub, (2, 4), _SUB),
        ):
            host += ngram_score_one(doc.encode(), rng, w32[off : off + N_HASH], salt)
            off += N_HASH
        row = np.array([v], np.float32)
        e = _HostEntry(row, 0, host, reasons, official, reg, suf, uni, a, ip, puny)
        cache[key] = e
        return e, self._path_score(path_doc)

    def _host_cache(self, room: int) -> dict[str, _HostEntry]:
        """Host key -> :class:`_HostEntry`, shared by the batch and single paths; emptied when
        ``room`` more entries would pass the bound (hosts repeat: most traffic is a few hosts)."""
        cache = self.__dict__.get("_hosts")
        if cache is None:
            cache = self.__dict__["_hosts"] = {}
        if len(cache) + room > HOST_CACHE:
            cache.clear()
        return cache

    def _features_cached(self, urls: list[str]) -> Features:
        """:func:`featurize` + the host blocks' scores, with the host part (rules, statistics,
        n-gram scores) taken from the host cache where known and computed for new hosts only."""
        urls = self._norm(urls)
        scheme, hk, path, userinfo, port = B.split_urls(urls)
        enc = pc.dictionary_encode(hk)
        host_id = enc.indices.to_numpy(zero_copy_only=False).astype(np.int64)
        keys = enc.dictionary
        key_list = keys.to_pylist()
        cache = self._host_cache(0)
        ents = list(map(cache.get, key_list))
        miss = [i for i, e in enumerate(ents) if e is None]
        self._host_cache(len(miss))  # room for the new hosts (the known ones are in ``ents``)
        if not miss:
            H = self._hosts_of(key_list, ents)
            hd = np.stack([e.hd[e.i] for e in ents])
            hs = np.array([e.host for e in ents])
        else:
            some = len(miss) < len(key_list)
            Hm = B.host_table(keys.take(pa.array(miss)) if some else keys)
            hd, _ = _host_dense(Hm)
            hs = np.zeros(len(miss))
            w32 = self._weights32()
            off = N_DENSE
            for docs, rng, salt in _host_blocks(Hm):
                hs += _scores(docs, rng, salt, w32[off : off + N_HASH])
                off += N_HASH
            new = list(
                map(
                    _HostEntry._make,
                    zip(
                        repeat(hd), range(len(miss)), hs.tolist(), Hm.reasons,
                        Hm.official.tolist(), Hm.reg_list, Hm.suf_list, Hm.host,
                        Hm.ascii.to_pylist(), Hm.is_ip.tolist(), Hm.punycode.tolist(),
                        strict=False,
                    ),
                )
            )  # fmt: skip
            cache.update(zip(Hm.key, new, strict=True))
            H = Hm
            if some:
                # the batch's host table: the new hosts (Hm's rows, as computed) first, then the
                # known ones from the cache; host ids renumbered to match (no per-host stacking
                # of the new rows)
                known = [i for i, e in enumerate(ents) if e is not None]
                kents = [ents[i] for i in known]
                Hk = self._hosts_of([key_list[i] for i in known], kents)
                H = _concat_hosts(Hm, Hk)
                hd = np.concatenate([hd, np.stack([e.hd[e.i] for e in kents])])
                hs = np.concatenate([hs, np.array([e.host for e in kents])])
                renum = np.empty(len(key_list), np.int64)
                renum[miss + known] = np.arange(len(key_list), dtype=np.int64)
                host_id = renum[host_id]
        U = B.Urls(urls, scheme, path, userinfo, port, host_id, H)
        dense, path_blocks, pr = _url_features(U, hd, self.path_chars, self.use_scheme, self.words)
        return Features(U, dense, [], path_blocks, pr, hs)

    @staticmethod
    def _hosts_of(key_list: list[str], ents: list[_HostEntry]) -> B.Hosts:
        """The batch's host table from cache entries."""
        reg_list, suf_list = [e.reg for e in ents], [e.suf for e in ents]
        return B.Hosts(
            key=key_list,
            host=[e.uni for e in ents],
            ascii=pa.array([e.asc for e in ents], pa.string()),
            registrable=pa.array(reg_list, pa.string()),
            suffix=pa.array(suf_list, pa.string()),
            reg_list=reg_list,
            suf_list=suf_list,
            is_ip=np.array([e.is_ip for e in ents], bool),
            punycode=np.array([e.puny for e in ents], bool),
            official=np.array([e.official for e in ents], bool),
            reasons=[e.reasons for e in ents],
        )

    def _path_score(self, doc: bytes | None) -> float:
        if not doc:
            return 0.0
        off = N_DENSE + 3 * N_HASH
        return ngram_score_one(doc, (3, 5), self._weights32()[off : off + N_HASH], _PATH)

    def _score_one(self, u: str) -> UrlVerdict:
        """One URL without the columnar machinery (equal to the batch path's verdict)."""
        pr, key, he, extra = self._proba_one(u)
        return self._verdict(u, pr, key, he.reasons, extra, he.official, he.reg)

    def _proba_one(self, u: str) -> tuple[float, str, _HostEntry, list[Reason] | None]:
        """(probability, host key, host entry, path reasons) of one URL: rules and host facts
        from :mod:`rules` (the definitions the batch path is tested against), the same features
        and weights as :func:`featurize` and :meth:`_logit`."""
        if self.www == "strip":
            u = strip_www(u)
        parts = _split(u) or ("http", "", "", False, None)
        scheme, key, path, userinfo, port = parts
        asc = path.isascii()
        he, ps = self._host_one(key, path[: self.path_chars].lower().encode() if asc else None)
        if not key:
            return 0.0, key, he, None
        extra = None
        if path or userinfo or port is not None:
            p = ParsedURL(
                raw=u, scheme="", host="", ascii_host="", registrable=he.reg,
                suffix=he.suf, path=path, is_ip=False, has_userinfo=userinfo,
                port=port, punycode=False, bare=path.strip("/") == "",
            )  # fmt: skip
            extra = rules_path_reasons(p) or None
        dense = np.zeros(N_DENSE, np.float32)
        hd = he.hd[he.i]
        dense[: len(hd)] = hd
        survive = 1.0 - float(hd[_K + 8])
        if extra:
            for x in extra:
                j = _CODE_INDEX.get(x.code, 0)
                dense[j] = max(dense[j], x.weight)
                survive *= 1.0 - x.weight
        o = _K + len(HOST_STATS)
        plen = len(path)
        if self.use_scheme:
            dense[o] = scheme == "https"
        dense[o + 1] = path.strip("/") == ""
        dense[o + 2] = min(plen, 200) / 200
        dense[o + 3] = min(path.count("/"), 12) / 12
        dense[o + 4] = min(path.count("."), 8) / 8
        dense[o + 5] = min(path.count("=") + path.count("&"), 10) / 10
        dense[o + 6] = sum(path.count(c) for c in "0123456789") / max(plen, 1)
        dense[o + 7] = _PAGE_EXT.search(path) is not None
        dense[o + 8] = "?" in path
        dense[o + 9] = 1.0 - survive
        dense[o + 10] = userinfo
        w = self.coef
        w32 = self._weights32()
        d = float(dense.astype(np.float64) @ w[:N_DENSE]) + self.intercept
        off = N_DENSE + 3 * N_HASH
        if asc:  # ps: the path n-grams, from _host_one
            if self.words:
                off += N_HASH
                ps += word_score_one(path.lower(), w32[off : off + N_HASH], _WORDS)
        else:  # Unicode lower-casing and slicing as pyarrow does them: the columnar code
            arr = pa.array([path], pa.string())
            low = pc.utf8_lower(pc.utf8_slice_codeunits(arr, 0, self.path_chars))
            ps = float(_scores(low, (3, 5), _PATH, w32[off : off + N_HASH])[0])
            if self.words:
                off += N_HASH
                ps += float(_scores(pc.utf8_lower(arr), None, _WORDS, w32[off : off + N_HASH])[0])
        z = (d + he.host + ps, he.host, ps)
        if self.booster is not None:
            one = self.__dict__.get("_one")
            if one is None or one.booster is not self.booster:
                one = self.__dict__["_one"] = _OneRow(self.booster, N_DENSE + 3)
            pr = one(dense, z)
        else:
            pr = float(1.0 / (1.0 + np.exp(-z[0])))
        return pr, key, he, extra

    def _weights32(self) -> np.ndarray:
        w32 = self.__dict__.get("_w32")
        if w32 is None:  # hashed weights as float32: half the cache footprint of the lookups
            if self.coef is None:
                raise ValueError("模型尚未训练")
            w32 = self.__dict__["_w32"] = self.coef.astype(np.float32)
        return w32

    # -- persistence ---------------------------------------------------------------------------

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state.pop("_w32", None)
        state.pop("_hosts", None)
        state.pop("_one", None)
        if state.get("booster") is not None:
            state["booster"] = state["booster"].model_to_string()
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        if state.get("format_version") != FORMAT_VERSION:
            raise ValueError(
                f"网址模型格式版本 {state.get('format_version', 1)} 与当前版本 {FORMAT_VERSION} "
                "不兼容，请用 fanzha url train 重新训练"
            )
        state.setdefault("www", "keep")
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
