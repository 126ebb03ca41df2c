"""Vectorised character n-gram hashing: a whole batch of messages in a few numpy passes.

sklearn's char analyzer builds every n-gram as a Python string (about 0.4 ms per SMS); here the
batch is turned into one array of code points and the n-gram hashes are rolled with numpy, so the
cost per message is a few microseconds. The same function, on one message, tells which n-gram
(start, length) produced each column — that is how evidence names the phrases behind a decision.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp

_P = np.uint64(0x100000001B3)  # FNV prime
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)


def _finalize(h: np.ndarray, salt: int) -> np.ndarray:
    """splitmix64 finaliser so that nearby n-grams land in unrelated buckets."""
    z = h ^ np.uint64(salt)
    z = (z ^ (z >> np.uint64(30))) * _MIX1
    z = (z ^ (z >> np.uint64(27))) * _MIX2
    return z ^ (z >> np.uint64(31))


def hashed_ngrams(
    docs: Sequence[str],
    ngram_range: tuple[int, int],
    n_features: int,
    head_chars: int = 0,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Return (doc, column, start, length) for every char n-gram of every doc.

    When ``head_chars`` > 0, n-grams lying within the first ``head_chars`` characters are emitted a
    second time under another salt: the "head" view (who the message claims to come from).
    """
    lens = np.fromiter((len(d) for d in docs), dtype=np.int64, count=len(docs))
    total = int(lens.sum())
    empty = np.zeros(0, dtype=np.int64)
    if total == 0:
        return empty, empty, empty, empty
    codes = np.frombuffer("".join(docs).encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    doc_of = np.repeat(np.arange(len(docs), dtype=np.int64), lens)
    starts = np.cumsum(lens) - lens
    pos = np.arange(total, dtype=np.int64) - starts[doc_of]
    remaining = lens[doc_of] - pos  # characters from this position to the end of its doc
    nmin, nmax = ngram_range
    if n_features & (n_features - 1):
        raise ValueError("n_features must be a power of two")
    mask = np.uint64(n_features - 1)
    docs_out, cols_out, start_out, len_out = [], [], [], []
    with np.errstate(over="ignore"):
        h = np.zeros(total, dtype=np.uint64)
        for n in range(1, nmax + 1):
            m = total - n + 1
            if m <= 0:
                break
            h = h[:m] * _P + codes[n - 1 : n - 1 + m]
            if n < nmin:
                continue
            ok = remaining[:m] >= n
            idx = np.nonzero(ok)[0]
            hv = h[idx]
            cols_out.append((_finalize(hv, n) & mask).astype(np.int64))
            docs_out.append(doc_of[idx])
            start_out.append(pos[idx])
            len_out.append(np.full(len(idx), n, dtype=np.int64))
            if head_chars > 0:
                hidx = np.nonzero(ok & (pos[:m] + n <= head_chars))[0]
                cols_out.append((_finalize(h[hidx], 1000 + n) & mask).astype(np.int64))
                docs_out.append(doc_of[hidx])
                start_out.append(pos[hidx])
                len_out.append(np.full(len(hidx), n, dtype=np.int64))
    if not docs_out:
        return empty, empty, empty, empty
    return (
        np.concatenate(docs_out),
        np.concatenate(cols_out),
        np.concatenate(start_out),
        np.concatenate(len_out),
    )


def ngrams_one(
    doc: str, ngram_range: tuple[int, int], n_features: int, head_chars: int = 0
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """:func:`hashed_ngrams` of one doc in a handful of numpy calls (all lengths at once).

    Returns (column, start, length, is_head) with the same columns as :func:`hashed_ngrams`; the
    per-call overhead of the batch version (dozens of small array operations per length and view)
    dominates when a request carries a single message.
    """
    nmin, nmax = ngram_range
    codes = np.frombuffer(doc.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    total = len(codes)
    hs, ns, ss = [], [], []
    with np.errstate(over="ignore"):
        h = codes
        for n in range(1, min(nmax, total) + 1):
            if n > 1:
                h = h[:-1] * _P + codes[n - 1 :]
            if n >= nmin:
                hs.append(h)
                ns.append(np.full(len(h), n, dtype=np.uint64))
                ss.append(np.arange(len(h), dtype=np.int64))
        if not hs:
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty, empty, np.zeros(0, dtype=bool)
        hv, nv, sv = np.concatenate(hs), np.concatenate(ns), np.concatenate(ss)
        head = (sv + nv.astype(np.int64) <= head_chars) if head_chars > 0 else None
        if head is not None and head.any():
            hv = np.concatenate([hv, hv[head]])
            salts = np.concatenate([nv, nv[head] + np.uint64(1000)])
            sv = np.concatenate([sv, sv[head]])
            nv = np.concatenate([nv, nv[head]])
            is_head = np.zeros(len(hv), dtype=bool)
            is_head[len(head) :] = True
        else:
            salts = nv
            is_head = np.zeros(len(hv), dtype=bool)
        z = hv ^ salts
        z = (z ^ (z >> np.uint64(30))) * _MIX1
        z = (z ^ (z >> np.uint64(27))) * _MIX2
        z = z ^ (z >> np.uint64(31))
    mask = np.uint64(n_features - 1)
    return (z & mask).astype(np.int64), sv, nv.astype(np.int64), is_head


def count_matrix(
    docs: Sequence[str], ngram_range: tuple[int, int], n_features: int, head_chars: int = 0
) -> sp.csr_matrix:
    rows, cols, _, _ = hashed_ngrams(docs, ngram_range, n_features, head_chars)
    data = np.ones(len(rows), dtype=np.float32)
    m = sp.csr_matrix((data, (rows, cols)), shape=(len(docs), n_features), dtype=np.float32)
    m.sum_duplicates()
    return m


class HashedTfidf:
    """Char n-gram hashing + sublinear tf + idf + L2, restricted to columns seen in training."""

    def __init__(
        self,
        ngram_range: tuple[int, int] = (1, 4),
        head_chars: int = 40,
        n_features: int = 1 << 21,
        min_df: int = 2,
        max_features: int | None = None,
    ):
        self.ngram_range = tuple(ngram_range)
        self.head_chars = head_chars
        self.n_features = n_features
        self.min_df = min_df
        self.max_features = max_features
        self.remap: np.ndarray | None = None  # hashed column -> compact column, -1 if unused
        self.idf: np.ndarray | None = None

    @property
    def size(self) -> int:
        return 0 if self.idf is None else len(self.idf)

    def fit_transform(self, docs: Sequence[str]) -> sp.csr_matrix:
        counts = count_matrix(docs, self.ngram_range, self.n_features, self.head_chars)
        df = np.bincount(counts.indices, minlength=self.n_features)
        keep = np.nonzero(df >= self.min_df)[0]
        if self.max_features and len(keep) > self.max_features:  # the most frequent columns
            top = np.argpartition(-df[keep], self.max_features - 1)[: self.max_features]
            keep = np.sort(keep[top])
        remap = np.full(self.n_features, -1, dtype=np.int32)
        remap[keep] = np.arange(len(keep), dtype=np.int32)
        self.remap = remap
        n = counts.shape[0]
        self.idf = (np.log((1 + n) / (1 + df[keep])) + 1).astype(np.float32)
        return self._weigh(counts)

    def transform(self, docs: Sequence[str]) -> sp.csr_matrix:
        return self._weigh(count_matrix(docs, self.ngram_range, self.n_features, self.head_chars))

    def _weigh(self, counts: sp.csr_matrix) -> sp.csr_matrix:
        assert self.remap is not None and self.idf is not None
        cols = self.remap[counts.indices]
        keep = cols >= 0
        rows = np.repeat(np.arange(counts.shape[0]), np.diff(counts.indptr))[keep]
        cols = cols[keep]
        data = (1.0 + np.log(counts.data[keep])) * self.idf[cols]
        m = sp.csr_matrix((data, (rows, cols)), shape=(counts.shape[0], len(self.idf)))
        norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        m.data /= np.repeat(norms, np.diff(m.indptr)).astype(m.data.dtype)
        return m.astype(np.float32)

    def transform_one(
        self, doc: str
    ) -> tuple[np.ndarray, np.ndarray, tuple[np.ndarray, np.ndarray, np.ndarray]]:
        """One message as (sorted compact columns, weights, its n-grams): :meth:`transform` without
        scipy, plus (compact column, start, length) of each whole-text n-gram in the model, which
        is what evidence needs. Building sparse matrices costs ~0.5 ms per call whatever their
        size; one API request needs only the non-zero columns of one row.
        """
        assert self.remap is not None and self.idf is not None
        hashed, starts, lens, is_head = ngrams_one(
            doc, self.ngram_range, self.n_features, self.head_chars
        )
        allcols = self.remap[hashed].astype(np.int64)
        present = allcols >= 0
        main = present & ~is_head
        grams = (allcols[main], starts[main], lens[main])
        cols = np.sort(allcols[present])
        if len(cols) == 0:
            return cols, np.zeros(0, dtype=np.float32), grams
        first = np.flatnonzero(np.r_[True, cols[1:] != cols[:-1]])
        counts = np.diff(np.r_[first, len(cols)]).astype(np.float32)
        cols = cols[first]
        w = (1.0 + np.log(counts)) * self.idf[cols]
        norm = float(np.sqrt(np.dot(w, w)))
        return cols, (w / (norm or 1.0)).astype(np.float32), grams

    def columns_of(self, doc: str) -> list[tuple[int, int, int]]:
        """(compact column, start, length) for each n-gram of one doc present in the model."""
        assert self.remap is not None
        _, cols, starts, lens = hashed_ngrams([doc], self.ngram_range, self.n_features, 0)
        c = self.remap[cols]
        return [(int(a), int(b), int(n)) for a, b, n in zip(c, starts, lens, strict=True) if a >= 0]
