"""Columnar URL parsing and per-host facts for a whole batch.

``parse_url``/``host_reasons`` in :mod:`rules` stay the single definition of what a URL means and
which rule fires. This module gets the same answers for a batch without a Python object per URL:

* URLs of the ordinary shape (ASCII, no user info, brackets, odd port or stray ``?``/``#``) are
  split by one RE2 pass over the column; the rest go through ``rules._split`` one by one.
* Public suffix, registrable domain and the prefilters below run once per *distinct* host, on
  polynomial hashes of byte ranges (numpy), so no host becomes a Python object on the fast path.
* ``host_reasons`` (Python, exact) runs only on hosts that a vectorised prefilter marks as
  possibly firing a rule; the prefilter is a superset of the rules, so the reasons are the same.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from fanzha.detect.urls import rules
from fanzha.detect.urls.rules import Reason, lists

_FAST = (
    r"^(?:(?P<scheme>[A-Za-z][A-Za-z0-9+.\-]{0,8})://)?"
    r"(?P<host>[A-Za-z0-9_][A-Za-z0-9_.\-]*)(?::(?P<port>[0-9]{1,5}))?"
    r"(?P<tail>[/?#][!-~]*)?$"
)
# tails that rules._split rewrites (an empty query or fragment is dropped)
_TAIL_REWRITE = r"^[^?#]*\?(?:#|$)|^[^#]*#$"
_SIMPLE_HOST = r"^[a-z0-9_-]+(?:\.[a-z0-9_-]+)*$"
_IP_LIKE = r"^\d{1,3}(?:\.\d{1,3}){3}$|^(?:0x[0-9a-f]+|\d{8,10})$"

_P = np.uint64(0x100000001B3)
_U64 = np.uint64


@dataclass
class Hosts:
    """Facts per distinct host of a batch (index = host id)."""

    key: list[str]  # host as split from the URL (Unicode for IDN)
    host: list[str]  # Unicode host (ParsedURL.host)
    ascii: pa.Array  # ASCII host
    registrable: pa.Array
    suffix: pa.Array
    reg_list: list[str]
    suf_list: list[str]
    is_ip: np.ndarray
    punycode: np.ndarray
    official: np.ndarray
    reasons: list[tuple[Reason, ...]]  # () for most hosts

    def __len__(self) -> int:
        return len(self.key)


@dataclass
class Urls:
    """One batch of URLs as columns; ``host_id`` indexes :class:`Hosts`."""

    raw: list[str]
    scheme: pa.Array
    path: pa.Array
    userinfo: np.ndarray
    port: np.ndarray  # -1: none
    host_id: np.ndarray
    hosts: Hosts

    def __len__(self) -> int:
        return len(self.raw)


# ---------------------------------------------------------------------------------------------
# polynomial hashes of byte ranges


_POW: list[np.ndarray] = []


def _powers(n: int) -> tuple[np.ndarray, np.ndarray]:
    """P**i and P**-i (mod 2**64) for i < n (at least), computed once and grown on demand."""
    if not _POW or len(_POW[0]) < n:
        m = max(n, 1 << 16, 2 * len(_POW[0]) if _POW else 0)
        inv = _U64(pow(int(_P), -1, 1 << 64))
        with np.errstate(over="ignore"):
            fw = np.cumprod(np.full(m, _P, dtype=np.uint64))
            bw = np.cumprod(np.full(m, inv, dtype=np.uint64))
        _POW[:] = [
            np.concatenate([[_U64(1)], fw[:-1]]),
            np.concatenate([[_U64(1)], bw[:-1]]),
        ]
    return _POW[0], _POW[1]


class _RangeHash:
    """hash(data[s:e]) = sum(c_i * P**(e-1-i)) for any byte range, O(1) each after one pass."""

    def __init__(self, data: np.ndarray):
        n = len(data) + 1
        self.fw, bw = _powers(n)
        with np.errstate(over="ignore"):
            c = (data.astype(np.uint64) + _U64(1)) * bw[: len(data)]
            self.cs = np.concatenate([[_U64(0)], np.cumsum(c, dtype=np.uint64)])

    def __call__(self, s: np.ndarray, e: np.ndarray) -> np.ndarray:
        with np.errstate(over="ignore"):
            h = self.fw[np.maximum(e - 1, 0)] * (self.cs[e] - self.cs[s])
        return np.where(e > s, h, _U64(0))

    def concat(self, h1: np.ndarray, h2: np.ndarray, len2: np.ndarray) -> np.ndarray:
        """hash(a + b) from hash(a), hash(b) and len(b)."""
        with np.errstate(over="ignore"):
            return h1 * self.fw[len2] + h2


def hash_strings(values: list[str]) -> np.ndarray:
    arr = pa.array(values, pa.string())
    data, off = _bytes(arr)
    rh = _RangeHash(data)
    return rh(off[:-1], off[1:])


def byte_counts(arr: pa.Array, chars: bytes) -> list[np.ndarray]:
    from fanzha.detect.urls.hashing import byte_counts as counts

    return counts(arr, chars)


def _bytes(arr: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    from fanzha.detect.urls.hashing import column_bytes

    return column_bytes(arr)


_BITS = 16
_MIX = np.uint64(0x9E3779B97F4A7C15)
_BITMAPS: dict[int, tuple[np.ndarray, np.ndarray]] = {}


def _bitmap(table: np.ndarray) -> np.ndarray:
    """Which of 2**_BITS buckets (top bits of hash * _MIX) hold an entry of ``table``."""
    got = _BITMAPS.get(id(table))
    if got is None or got[0] is not table:
        bits = np.zeros(1 << _BITS, bool)
        with np.errstate(over="ignore"):
            bits[(table * _MIX) >> np.uint64(64 - _BITS)] = True
        got = _BITMAPS[id(table)] = (table, bits)
    return got[1]


def _member(h: np.ndarray, table: np.ndarray) -> np.ndarray:
    """h in table (table sorted, unique). A bucket bitmap of the table rules out most values;
    binary search decides the rest."""
    if not len(table) or not len(h):
        return np.zeros(len(h), bool)
    with np.errstate(over="ignore"):
        bucket = ((h * _MIX) >> np.uint64(64 - _BITS)).view(np.int64)
    maybe = np.flatnonzero(_bitmap(table)[bucket])
    out = np.zeros(len(h), bool)
    if len(maybe):
        hm = h[maybe]
        i = np.searchsorted(table, hm)
        i[i == len(table)] = 0
        out[maybe] = table[i] == hm
    return out


def _take_ranges(data: np.ndarray, s: np.ndarray, e: np.ndarray) -> pa.Array:
    """String array of data[s_i:e_i] (byte ranges on character boundaries)."""
    lens = np.maximum(e - s, 0)
    off = np.zeros(len(s) + 1, np.int64)
    np.cumsum(lens, out=off[1:])
    total = int(off[-1])
    if total < 2**31 and len(data) < 2**31:  # int32 positions: half the memory traffic
        idx = np.repeat((s - off[:-1]).astype(np.int32), lens)
        idx += np.arange(total, dtype=np.int32)
    else:
        idx = np.repeat(s - off[:-1], lens) + np.arange(total, dtype=np.int64)
    buf = data[idx].tobytes()
    return pa.StringArray.from_buffers(
        len(s), pa.py_buffer(off.astype(np.int32).tobytes()), pa.py_buffer(buf)
    )


# ---------------------------------------------------------------------------------------------
# lists as hash tables


@dataclass
class _Tables:
    psl_exact: np.ndarray
    psl_wild: np.ndarray
    psl_exc: np.ndarray
    psl_depth: int
    official: np.ndarray
    shorteners: np.ndarray
    free: np.ndarray
    risky: np.ndarray
    edit_targets: np.ndarray  # tokens (len >= 5) and their one-deletion neighbours
    deletes: np.ndarray
    edit_width: int
    fuzzy_tokens: str  # RE2: a brand token, or a homoglyph spelling of it, as a label/dash part
    inside_tokens: str
    pinyin: str
    english: str
    path_prefilter: str


def _table(xs) -> np.ndarray:
    return np.unique(hash_strings(sorted(set(xs)))) if xs else np.zeros(0, np.uint64)


@lru_cache(maxsize=1)
def tables() -> _Tables:
    L = lists()
    psl = rules._psl()
    rules_ = psl._publicsuffix
    exc = [r[1:] for r in rules_ if r.startswith("!")]
    wild = [r[2:] for r in rules_ if r.startswith("*.")]
    exact = [r for r in rules_ if not r.startswith(("!", "*."))]
    tok5 = [t for t in L.by_token if len(t) >= 5]
    toks = sorted(L.by_token, key=len, reverse=True)
    return _Tables(
        psl_exact=_table(exact),
        psl_wild=_table(wild),
        psl_exc=_table(exc),
        psl_depth=psl._maxlabel + 1,
        official=_table(L.official),
        shorteners=_table(L.shorteners),
        free=_table(L.free_hosting),
        risky=_table(L.risky_tlds),
        edit_targets=_table(tok5 + list(L.deletes)),
        deletes=_table(list(L.deletes)),
        edit_width=max(len(t) for t in L.by_token) + 1,
        fuzzy_tokens=r"(?:^|[._-])(?:" + "|".join(map(_fuzzy, toks)) + r")(?:[._-]|$)",
        inside_tokens=L.token_re.pattern,
        pinyin=L.pinyin_re.pattern,
        english=L.english_re.pattern,
        path_prefilter=rules._path_prefilter(),
    )


# every spelling that rules._fold (either variant) maps onto a letter
_SOURCES = {
    "o": "[o0]",
    "l": "[l1|]",
    "i": "[i1]",
    "e": "[e3]",
    "s": "[s5]",
    "a": "[a4]",
    "t": "[t7]",
    "b": "[b8]",
    "g": "[g9]",
    "m": "(?:m|rn|nn)",
    "w": "(?:w|vv)",
    "d": "(?:d|c[l1|])",
}


def _fuzzy(token: str) -> str:
    """RE2 for the ASCII spellings whose homoglyph fold is ``token`` (a superset)."""
    return "".join(_SOURCES.get(c, re.escape(c)) for c in token)


# ---------------------------------------------------------------------------------------------
# hosts


@dataclass
class _Simple:
    """Public suffix and labels of ASCII domain names, as byte ranges of one buffer."""

    data: np.ndarray
    rh: _RangeHash
    start: np.ndarray
    end: np.ndarray
    reg_start: np.ndarray
    suf_start: np.ndarray
    tld_start: np.ndarray
    label_s: np.ndarray
    label_e: np.ndarray
    owner: np.ndarray  # host of each label

    def hashes(self, s: np.ndarray) -> np.ndarray:
        return self.rh(s, self.end)


def _simple_facts(hosts: pa.Array) -> _Simple:
    T = tables()
    data, off = _bytes(hosts)
    n = len(hosts)
    rh = _RangeHash(data)
    dots = np.flatnonzero(data == ord("."))
    host_of_dot = np.searchsorted(off, dots, side="right") - 1
    ndots = np.bincount(host_of_dot, minlength=n)
    first_dot = np.zeros(n + 1, np.int64)
    np.cumsum(ndots, out=first_dot[1:])
    ll = ndots + 1
    start, end = off[:-1], off[1:]
    nd = max(len(dots) - 1, 0)

    def start_of(k_labels: np.ndarray, rows: np.ndarray | slice = slice(None)) -> np.ndarray:
        k = ndots[rows] - k_labels  # index of the dot before the last k labels, -1: whole host
        d = dots[np.clip(first_dot[:-1][rows] + k, 0, nd)] + 1 if len(dots) else start[rows]
        return np.where(k >= 0, d, start[rows])

    count = np.ones(n, np.int64)  # labels in the public suffix
    decided = ll == 1
    for depth in range(T.psl_depth, 0, -1):
        rows = np.flatnonzero(~decided & (ll >= depth))
        if not len(rows):
            continue
        h = rh(start_of(np.full(len(rows), depth), rows), end[rows])
        exc, wild = _member(h, T.psl_exc), _member(h, T.psl_wild)
        exact = _member(h, T.psl_exact)
        res = np.where(
            exc, depth - 1, np.where(wild, np.where(ll[rows] > depth, depth + 1, depth), depth)
        )
        hit = exc | wild | exact
        count[rows[hit]] = res[hit]
        decided[rows[hit]] = True
    suf_start = np.where(count > 0, start_of(np.minimum(count, ll)), end)
    reg_start = np.where(ll > count, start_of(np.minimum(count + 1, ll)), start)
    first_end = np.where(ndots > 0, dots[np.minimum(first_dot[:-1], nd)], end) if len(dots) else end
    nxt = np.empty(len(dots), np.int64)
    if len(dots):
        nxt[:-1] = dots[1:]
        last = np.zeros(len(dots), bool)
        last[first_dot[1:][ndots > 0] - 1] = True
        nxt[last] = end[host_of_dot[last]]
    return _Simple(
        data=data,
        rh=rh,
        start=start,
        end=end,
        reg_start=reg_start,
        suf_start=suf_start,
        tld_start=start_of(np.ones(n, np.int64)),
        label_s=np.concatenate([start, dots + 1]),
        label_e=np.concatenate([first_end, nxt]),
        owner=np.concatenate([np.arange(n, dtype=np.int64), host_of_dot]),
    )


def _piece_hits(data: np.ndarray, lo: np.ndarray, hi: np.ndarray, seps: bytes) -> np.ndarray:
    """Per range [lo, hi) of ``data``: does one of its pieces (split on ``seps``) look random?"""
    n = len(lo)
    size = len(data) + 1
    edges = np.bincount(lo, minlength=size) - np.bincount(hi, minlength=size)
    is_sep = np.zeros(len(data), bool)
    for c in seps:
        is_sep |= data == c
    sep = np.flatnonzero(is_sep & (np.cumsum(edges, dtype=np.int32)[: len(data)] > 0))
    # pieces are disjoint and ordered, so the i-th smallest start pairs with the i-th smallest end
    starts = np.sort(np.concatenate([lo, sep + 1]))
    ends = np.sort(np.concatenate([sep, hi]))
    lens = ends - starts
    # (int32 counts and positions: buffers of a batch's hosts are far below 2**31 bytes)
    digits = np.zeros(len(data) + 1, np.int32)
    np.cumsum((data >= 48) & (data <= 57), out=digits[1:])
    alpha = np.zeros(len(data) + 1, np.int32)
    np.cumsum((data >= 97) & (data <= 122), out=alpha[1:])
    nd = digits[ends] - digits[starts]
    na = alpha[ends] - alpha[starts]
    hit = (lens >= 8) & (nd >= 4) & (na > 0)
    long_ = np.flatnonzero(lens >= 12)
    if len(long_):
        ls, ll = starts[long_], lens[long_]
        pid = np.repeat(np.arange(len(long_), dtype=np.int32), ll)
        pos = np.repeat((ls - np.concatenate([[0], np.cumsum(ll)[:-1]])).astype(np.int32), ll)
        pos += np.arange(int(ll.sum()), dtype=np.int32)
        key = np.sort(pid * 256 + data[pos])  # (piece, byte) runs: the character counts
        first = np.flatnonzero(np.concatenate([[True], key[1:] != key[:-1]]))
        cnt = np.diff(np.concatenate([first, [len(key)]]))
        piece = key[first] // 256
        p = cnt / ll[piece]
        ent = np.bincount(piece, weights=-p * np.log2(p), minlength=len(long_))
        hit[long_[ent >= 3.5 - 1e-9]] = True
    owner = np.searchsorted(np.sort(lo), starts, side="right") - 1
    order = np.argsort(lo, kind="stable")
    out = np.zeros(n, bool)
    out[order[owner[hit]]] = True
    return out


def _random_pieces(S: _Simple) -> np.ndarray:
    """Hosts that could trip the random-label rule (a superset: every piece of the host split on
    dots and dashes, and of the registrable domain split on dashes only, not only the longest)."""
    out = _piece_hits(S.data, S.start, S.end, b".-_")
    # where the registrable domain does not end with ".suffix", rules keep it whole, dots and all
    whole = np.flatnonzero((S.reg_start == S.suf_start) | (S.suf_start == S.end))
    if len(whole):
        out[whole] |= _piece_hits(S.data, S.reg_start[whole], S.end[whole], b"-_")
    return out


def _edit_hits(S: _Simple, s: np.ndarray, e: np.ndarray) -> np.ndarray:
    """Labels one deletion away from a brand token (or from its deletion neighbourhood)."""
    T = tables()
    lens = e - s
    sel = np.flatnonzero((lens >= 5) & (lens <= T.edit_width))
    hit = np.zeros(len(s), bool)
    if not len(sel):
        return hit
    s, e = s[sel], e[sel]
    rh = S.rh
    h_sel = _member(rh(s, e), T.deletes)
    for j in range(T.edit_width):
        r = np.flatnonzero((e - s > j) & ~h_sel)
        if not len(r):
            break
        cut = s[r] + j
        h = rh.concat(rh(s[r], cut), rh(cut + 1, e[r]), e[r] - cut - 1)
        h_sel[r] |= _member(h, T.edit_targets)
    hit[sel] = h_sel
    return hit


def _any_match(arr: pa.Array, pattern: str) -> np.ndarray:
    return pc.match_substring_regex(arr, pattern).to_numpy(zero_copy_only=False)


# below this many URLs/hosts the one-by-one Python rules are cheaper than compiling the RE2
# patterns (pyarrow compiles a pattern on every call) and the numpy passes' fixed costs
SMALL = 64


def host_table(keys: pa.Array) -> Hosts:
    """Facts and rule reasons for distinct host keys (as returned by ``rules._split``)."""
    T = tables()
    n = len(keys)
    key_list = keys.to_pylist()
    if n < SMALL:
        simple = np.zeros(n, bool)  # every host through rules.host_facts / host_reasons
    else:
        simple = _any_match(keys, _SIMPLE_HOST) & ~_any_match(keys, r"xn--|" + _IP_LIKE)
    sidx = np.flatnonzero(simple)
    oidx = np.flatnonzero(~simple)
    reg = np.empty(n, object)
    suf = np.empty(n, object)
    uni = list(key_list)
    is_ip = np.zeros(n, bool)
    puny = np.zeros(n, bool)
    flag = np.zeros(n, bool)
    official = np.zeros(n, bool)
    pin = np.ones(n, bool)  # which of host_reasons' searches can match (all for other hosts)
    eng = np.ones(n, bool)
    rnd = np.ones(n, bool)
    if len(sidx):
        sk = keys.take(pa.array(sidx)) if len(oidx) else keys
        S = _simple_facts(sk)
        reg_h, suf_h, tld_h = S.hashes(S.reg_start), S.hashes(S.suf_start), S.hashes(S.tld_start)
        host_h = S.hashes(S.start)
        suf_arr = _take_ranges(S.data, S.suf_start, S.end)
        off_s = _member(reg_h, T.official) | pc.ends_with(suf_arr, "gov.cn").to_numpy(
            zero_copy_only=False
        )
        # the pinyin and lure-word matches are the rules' own searches (same patterns, RE2),
        # random pieces a superset of the random-label rule: host_reasons skips them where False
        pin_s = _any_match(pc.replace_substring(sk, "-", ""), T.pinyin)
        eng_s = _any_match(sk, T.english)
        rnd_s = _random_pieces(S)
        n_dots, n_dashes = byte_counts(sk, b".-")
        f = (
            _member(reg_h, T.shorteners)
            | _member(host_h, T.shorteners)
            | _member(reg_h, T.free)
            | _member(suf_h, T.free)
            | _member(tld_h, T.risky)
            | _member(suf_h, T.risky)
            | pin_s
            | eng_s
            | (n_dots >= 4)
            | (n_dashes >= 3)
            | rnd_s
        )
        pin[sidx], eng[sidx], rnd[sidx] = pin_s, eng_s, rnd_s
        # brand tokens: per label, so that host_reasons can skip the labels that cannot match
        # (labels repeat, suffixes most: each distinct label is checked once)
        enc = pc.dictionary_encode(_take_ranges(S.data, S.label_s, S.label_e))
        uniq = enc.dictionary
        li = enc.indices.to_numpy(zero_copy_only=False)
        first = np.empty(len(uniq), np.int64)  # one occurrence of each distinct label
        first[li[::-1]] = np.arange(len(li) - 1, -1, -1)
        u_hit = _any_match(uniq, T.fuzzy_tokens) | _edit_hits(S, S.label_s[first], S.label_e[first])
        if T.inside_tokens:
            u_hit |= _any_match(uniq, T.inside_tokens)
        lab_hit = u_hit[li]
        f[S.owner[lab_hit]] = True
        flag[sidx] = f & ~off_s
        official[sidx] = off_s
        reg[sidx] = _take_ranges(S.data, S.reg_start, S.end).to_numpy(zero_copy_only=False)
        suf[sidx] = suf_arr.to_numpy(zero_copy_only=False)
        clean = ~lab_hit & flag[sidx][S.owner]
        if clean.any():
            u_clean = np.zeros(len(uniq), bool)
            u_clean[li[clean]] = True
            rules.known_clean_labels(uniq.filter(pa.array(u_clean)).to_pylist())
    asc = list(key_list)
    L = lists()
    for i in oidx.tolist():
        a, u, p, ip, r, s = rules.host_facts(key_list[i])
        asc[i], uni[i], puny[i], is_ip[i], reg[i], suf[i] = a, u, p, ip, r, s
        official[i] = (r in L.official or s.endswith("gov.cn")) and not ip and bool(a)
        flag[i] = True
    reasons: list[tuple[Reason, ...]] = [()] * n
    hinted = rules.host_reasons_hinted
    fl = np.flatnonzero(flag)
    for i, ip, p, a, b, c in zip(
        fl.tolist(),
        is_ip[fl].tolist(),
        puny[fl].tolist(),
        pin[fl].tolist(),
        eng[fl].tolist(),
        rnd[fl].tolist(),
        strict=True,
    ):
        reasons[i] = hinted(uni[i], asc[i], reg[i], suf[i], ip, p, a, b, c)
    reg_list, suf_list = reg.tolist(), suf.tolist()
    return Hosts(
        key=key_list,
        host=uni,
        ascii=keys if not len(oidx) else pa.array(asc, pa.string()),
        registrable=pa.array(reg_list, pa.string()),
        suffix=pa.array(suf_list, pa.string()),
        reg_list=reg_list,
        suf_list=suf_list,
        is_ip=is_ip,
        punycode=puny,
        official=official,
        reasons=reasons,
    )


# ---------------------------------------------------------------------------------------------
# URLs


_SCHEME_SEP = r"^[A-Za-z][A-Za-z0-9+.\-]{0,8}://"


def _next_at(pos: np.ndarray, frm: np.ndarray, end: np.ndarray) -> np.ndarray:
    """The first of the sorted positions ``pos`` at or after ``frm``, or ``end`` if none is
    before ``end``."""
    if not len(pos):
        return end.copy()
    i = np.searchsorted(pos, frm)
    nxt = pos[np.minimum(i, len(pos) - 1)]
    return np.where((i < len(pos)) & (nxt < end), nxt, end)


def split_urls(raw: list[str]) -> tuple[pa.Array, pa.Array, pa.Array, np.ndarray, np.ndarray]:
    """(scheme, host key, path, userinfo, port) per URL, as ``rules._split`` reads them.

    URLs of the ordinary shape (``_FAST``, one RE2 pass without captures) are cut at byte
    positions: the scheme is there iff the URL starts with a scheme and "://" (then the shape
    without a scheme cannot match: its host would have to be followed by a port), the host runs
    to the first of ``:/?#``, an optional port to the first of ``/?#``, the rest is the tail.
    These are the spans the pattern's groups capture."""
    n = len(raw)
    if n < SMALL:
        parts = [rules._split(u) or ("http", "", "", False, None) for u in raw]
        return (
            pa.array([p[0] for p in parts], pa.string()),
            pa.array([p[1] for p in parts], pa.string()),
            pa.array([p[2] for p in parts], pa.string()),
            np.array([p[3] for p in parts], bool),
            np.array([-1 if p[4] is None else p[4] for p in parts], np.int64),
        )
    arr = pa.array(raw, pa.string())
    valid = _any_match(arr, _FAST)
    has_scheme = valid & _any_match(arr, _SCHEME_SEP)
    sep = pc.find_substring(arr, "://").to_numpy(zero_copy_only=False)
    data, off = _bytes(arr)
    start, end = off[:-1], off[1:]
    # invalid URLs (possibly not ASCII) take the slow path: empty spans, no byte reads
    lo = np.where(valid, start, end)
    hstart = np.where(has_scheme, start + sep + 3, lo)
    ends_host = np.flatnonzero((data == 58) | (data == 47) | (data == 63) | (data == 35))  # :/?#
    host_end = _next_at(ends_host, hstart, end)
    tail_start = _next_at(ends_host[data[ends_host] != 58], host_end, end)
    has_port = valid & (host_end < tail_start)  # ":" and digits between host and tail
    # (the spans of valid URLs are ASCII: ascii_lower is utf8_lower on them)
    scheme = pc.if_else(
        has_scheme,
        pc.ascii_lower(_take_ranges(data, start, np.where(has_scheme, start + sep, start))),
        "http",
    )
    host = pc.utf8_rtrim(pc.ascii_lower(_take_ranges(data, hstart, host_end)), characters=".")
    tail = _take_ranges(data, np.where(valid, tail_start, end), end)
    bad = (
        ~valid
        | ((sep >= 0) & (sep <= 9) & ~has_scheme)
        | _any_match(arr, "[\"'<>]$")
        | _any_match(tail, _TAIL_REWRITE)
        | _any_match(host, r"^$|\.\.|^\.")
    )
    port = np.full(n, -1, np.int64)
    if has_port.any():
        pi = np.flatnonzero(has_port)
        ps, pe = host_end[pi] + 1, tail_start[pi]
        vals = np.zeros(len(pi), np.int64)
        for k in range(int((pe - ps).max())):  # at most 5 digits (the pattern)
            more = ps + k < pe
            d = data[np.minimum(ps + k, len(data) - 1)].astype(np.int64) - 48
            vals = np.where(more, vals * 10 + d, vals)
        port[pi] = vals
        bad[pi[vals > 65535]] = True
    userinfo = np.zeros(n, bool)
    bi = np.flatnonzero(bad)
    if len(bi):
        cols: tuple[list[str], list[str], list[str]] = ([], [], [])
        for i in bi.tolist():
            parts = rules._split(raw[i])
            if parts is None:
                parts = ("http", "", "", False, None)
            for c, v in zip(cols, parts, strict=False):
                c.append(v)
            userinfo[i] = parts[3]
            port[i] = -1 if parts[4] is None else parts[4]
        # the slow path's values appended, then every row taken from its own place
        idx = np.arange(n, dtype=np.int64)
        idx[bi] = n + np.arange(len(bi), dtype=np.int64)
        take = pa.array(idx)
        scheme, host, tail = (
            pa.concat_arrays([a, pa.array(c, pa.string())]).take(take)
            for a, c in zip((scheme, host, tail), cols, strict=True)
        )
    return scheme, host, tail, userinfo, port


def parse_batch(raw: list[str]) -> Urls:
    raw = [u if isinstance(u, str) else "" for u in raw]
    scheme, host, path, userinfo, port = split_urls(raw)
    enc = (
        pc.dictionary_encode(host)
        if len(raw)
        else pa.DictionaryArray.from_arrays(pa.array([], pa.int32()), pa.array([], pa.string()))
    )
    host_id = enc.indices.to_numpy(zero_copy_only=False).astype(np.int64)
    hosts = host_table(enc.dictionary)
    return Urls(raw, scheme, path, userinfo, port, host_id, hosts)


def path_reasons(u: Urls) -> list[list[Reason] | None]:
    """``rules.path_reasons`` per URL (None where none can fire), via one RE2 prefilter."""
    T = tables()
    n = len(u)
    out: list[list[Reason] | None] = [None] * n
    if not n:
        return out
    off = u.hosts.official[u.host_id]
    if n < SMALL:
        rx = rules._path_prefilter_re()
        cand = np.array([bool(x) and rx.search(x.lower()) is not None for x in u.path.to_pylist()])
        cand &= ~off
    else:
        cand = _any_match(pc.utf8_lower(u.path), T.path_prefilter) & ~off
    cand |= u.userinfo | (u.port >= 0)
    idx = np.flatnonzero(cand)
    if not len(idx):
        return out
    paths = u.path.take(pa.array(idx)).to_pylist()
    H = u.hosts
    hid = u.host_id[idx]
    for i, path, h, ip, ui, port, puny in zip(
        idx.tolist(),
        paths,
        hid.tolist(),
        H.is_ip[hid].tolist(),
        u.userinfo[idx].tolist(),
        u.port[idx].tolist(),
        H.punycode[hid].tolist(),
        strict=True,
    ):
        p = rules.ParsedURL(
            raw=u.raw[i],
            scheme="",
            host=H.host[h],
            ascii_host="",
            registrable=H.reg_list[h],
            suffix=H.suf_list[h],
            path=path,
            is_ip=ip,
            has_userinfo=ui,
            port=None if port < 0 else port,
            punycode=puny,
            bare=path.strip("/") == "",
        )
        r = rules.path_reasons(p)
        if r:
            out[i] = r
    return out
