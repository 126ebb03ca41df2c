"""The hot-path look-up index: keyed hash → (grade, fraud type, suspicious code) of active entries.

Only *active* entries are in the index; lifted or expired ones are removed, so a hit means a live
restriction. Two backends share one interface:

* :class:`MemoryIndex` (embedded default): a sorted ``int64`` array of 8-byte hash prefixes plus a
  ``uint16`` packed info array — 10 bytes per entry, so 10 M entries take ~100 MB. Changes since the
  last build sit in a small overlay dict and are merged on :meth:`MemoryIndex.compact`. Snapshots are
  ``.npy`` files that can be memory-mapped, so several processes share the pages.
* :class:`RedisIndex` (shared mode): entries bucketed into Redis hashes (``2**20`` buckets, field =
  8-byte prefix, value = packed info) so each hash stays small and listpack-encoded (~20 B/entry).

An 8-byte prefix of an HMAC-SHA256 collides with probability ~n²/2⁶⁵ (≈3·10⁻⁶ for 10 M entries);
the database row, keyed by the full hash, remains the source of truth for anything but the hot path.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from fanzha.domain.taxonomy import FraudType, RiskLevel, SuspiciousCode
from fanzha.registry.keys import hash_prefix

FRAUD_TYPES: list[FraudType] = list(FraudType)
CODES: list[SuspiciousCode] = list(SuspiciousCode)
_NONE4 = 15


@dataclass(frozen=True, slots=True)
class IndexHit:
    grade: RiskLevel
    fraud_type: FraudType | None
    code: SuspiciousCode | None


def pack(grade: int, fraud_type: FraudType | str | None, code: SuspiciousCode | str | None) -> int:
    ft = FRAUD_TYPES.index(FraudType(fraud_type)) if fraud_type else _NONE4
    cd = CODES.index(SuspiciousCode(code)) if code else _NONE4
    return (int(grade) & 0x3) | (ft << 2) | (cd << 6)


def _decode(info: int) -> IndexHit:
    ft = (info >> 2) & 0xF
    cd = (info >> 6) & 0xF
    return IndexHit(
        RiskLevel(info & 0x3),
        FRAUD_TYPES[ft] if ft != _NONE4 else None,
        CODES[cd] if cd != _NONE4 else None,
    )


_DECODED: dict[int, IndexHit] = {}


def unpack(info: int) -> IndexHit:
    hit = _DECODED.get(info)
    if hit is None:
        hit = _DECODED[info] = _decode(info)
    return hit


class MemoryIndex:
    def __init__(self, keys: np.ndarray | None = None, info: np.ndarray | None = None) -> None:
        # one tuple, swapped atomically by compact(), so a concurrent reader never pairs new keys
        # with old info
        self._arrays: tuple[np.ndarray, np.ndarray] = (
            keys if keys is not None else np.empty(0, dtype=np.int64),
            info if info is not None else np.empty(0, dtype=np.uint16),
        )
        # prefix -> packed info, or -1 for a removal that shadows the base arrays
        self._overlay: dict[int, int] = {}

    @classmethod
    def build(cls, prefixes: np.ndarray, info: np.ndarray) -> MemoryIndex:
        prefixes = np.asarray(prefixes, dtype=np.int64)
        info = np.asarray(info, dtype=np.uint16)
        order = np.argsort(prefixes, kind="stable")
        keys, info = prefixes[order], info[order]
        if len(keys) > 1:  # keep the last of duplicate prefixes
            keep = np.ones(len(keys), dtype=bool)
            keep[:-1] = keys[1:] != keys[:-1]
            keys, info = keys[keep], info[keep]
        return cls(np.ascontiguousarray(keys), np.ascontiguousarray(info))

    @property
    def keys(self) -> np.ndarray:
        return self._arrays[0]

    @property
    def info(self) -> np.ndarray:
        return self._arrays[1]

    def __len__(self) -> int:
        n = len(self.keys)
        for prefix, v in list(self._overlay.items()):
            in_base = self._base(prefix) >= 0
            n += (v >= 0 and not in_base) - (v < 0 and in_base)
        return n

    @property
    def nbytes(self) -> int:
        return int(self.keys.nbytes + self.info.nbytes) + 100 * len(self._overlay)

    def _base(self, prefix: int) -> int:
        keys, info = self._arrays
        if len(keys) == 0:
            return -1
        i = int(keys.searchsorted(prefix))
        if i < len(keys) and keys[i] == prefix:
            return int(info[i])
        return -1

    def get_prefix(self, prefix: int) -> IndexHit | None:
        v = self._overlay.get(prefix)
        if v is None:
            v = self._base(prefix)
        return unpack(v) if v >= 0 else None

    def get(self, key_hash: str) -> IndexHit | None:
        return self.get_prefix(hash_prefix(key_hash))

    def get_many(self, key_hashes: Sequence[str]) -> list[IndexHit | None]:
        return [self.get(h) for h in key_hashes]

    def lookup_prefixes(self, prefixes: np.ndarray) -> np.ndarray:
        """Vectorised: packed info for each prefix, -1 where absent (overlay applied)."""
        prefixes = np.asarray(prefixes, dtype=np.int64)
        out = np.full(len(prefixes), -1, dtype=np.int32)
        keys, info = self._arrays
        if len(keys):
            idx = np.minimum(keys.searchsorted(prefixes), len(keys) - 1)
            found = keys[idx] == prefixes
            out[found] = info[idx[found]]
        for i, p in enumerate(prefixes.tolist()) if self._overlay else ():
            v = self._overlay.get(p)
            if v is not None:
                out[i] = v
        return out

    def put(self, key_hash: str, info: int) -> None:
        self._overlay[hash_prefix(key_hash)] = int(info)
        if len(self._overlay) > 100_000:
            self.compact()

    def remove(self, key_hash: str) -> None:
        self._overlay[hash_prefix(key_hash)] = -1

    def put_many(self, items: Iterable[tuple[str, int]]) -> None:
        for h, info in items:
            self.put(h, info)

    def compact(self) -> None:
        """Merge the overlay into the sorted arrays."""
        if not self._overlay:
            return
        ov_keys = np.fromiter(self._overlay.keys(), dtype=np.int64, count=len(self._overlay))
        ov_vals = np.fromiter(self._overlay.values(), dtype=np.int64, count=len(self._overlay))
        base_keep = ~np.isin(self.keys, ov_keys)
        add = ov_vals >= 0
        keys = np.concatenate([self.keys[base_keep], ov_keys[add]])
        info = np.concatenate([self.info[base_keep], ov_vals[add].astype(np.uint16)])
        self._overlay.clear()
        built = MemoryIndex.build(keys, info)
        self._arrays = built._arrays

    def save(self, directory: Path) -> None:
        self.compact()
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        np.save(directory / "keys.npy", self.keys)
        np.save(directory / "info.npy", self.info)

    @classmethod
    def load(cls, directory: Path, mmap: bool = True) -> MemoryIndex:
        mode = "r" if mmap else None
        keys = np.load(Path(directory) / "keys.npy", mmap_mode=mode)
        info = np.load(Path(directory) / "info.npy", mmap_mode=mode)
        # plain ndarray views of the mapping: np.memmap's Python-level __getitem__ and
        # __array_wrap__ would run on every look-up
        return cls(keys.view(np.ndarray), info.view(np.ndarray))


N_BUCKETS = 1 << 20


def _bucket_field(prefix: int) -> tuple[int, bytes]:
    raw = prefix.to_bytes(8, "big", signed=True)
    return int.from_bytes(raw[-3:], "big") & (N_BUCKETS - 1), raw


class RedisIndex:
    """Shared index in Redis: ``<ns>:reg:<bucket>`` hashes of 8-byte prefix → packed info."""

    def __init__(self, client: object, namespace: str = "fanzha") -> None:
        self.r = client
        self.ns = namespace

    def _key(self, bucket: int) -> str:
        return f"{self.ns}:reg:{bucket:05x}"

    def get(self, key_hash: str) -> IndexHit | None:
        return self.get_many([key_hash])[0]

    def get_many(self, key_hashes: Sequence[str]) -> list[IndexHit | None]:
        if not key_hashes:
            return []
        pipe = self.r.pipeline(transaction=False)  # type: ignore[attr-defined]
        for h in key_hashes:
            b, f = _bucket_field(hash_prefix(h))
            pipe.hget(self._key(b), f)
        return [unpack(int(v)) if v is not None else None for v in pipe.execute()]

    def queue_get(self, pipe: object, key_hash: str) -> None:
        """Add the look-up to someone else's pipeline (one round trip for a whole check)."""
        b, f = _bucket_field(hash_prefix(key_hash))
        pipe.hget(self._key(b), f)  # type: ignore[attr-defined]

    def location(self, key_hash: str) -> tuple[str, bytes]:
        """(hash key, field) of an entry, for look-ups inside a server-side script.

        Same as :func:`_bucket_field` without the int round trip: the field is the hash's first 8
        bytes, the bucket their low 20 bits, i.e. hex digits 11–15."""
        return f"{self.ns}:reg:{int(key_hash[11:16], 16):05x}", bytes.fromhex(key_hash[:16])

    @staticmethod
    def decode(value: bytes | None) -> IndexHit | None:
        return unpack(int(value)) if value is not None else None

    def put(self, key_hash: str, info: int) -> None:
        b, f = _bucket_field(hash_prefix(key_hash))
        self.r.hset(self._key(b), f, int(info))  # type: ignore[attr-defined]

    def remove(self, key_hash: str) -> None:
        b, f = _bucket_field(hash_prefix(key_hash))
        self.r.hdel(self._key(b), f)  # type: ignore[attr-defined]

    def put_many(self, items: Iterable[tuple[str, int]]) -> None:
        self.load_prefixes(((hash_prefix(h), i) for h, i in items))

    def load_prefixes(self, items: Iterable[tuple[int, int]], batch: int = 20_000) -> int:
        pipe = self.r.pipeline(transaction=False)  # type: ignore[attr-defined]
        n = 0
        for prefix, info in items:
            b, f = _bucket_field(int(prefix))
            pipe.hset(self._key(b), f, int(info))
            n += 1
            if n % batch == 0:
                pipe.execute()
        pipe.execute()
        return n

    def load_arrays(self, prefixes: np.ndarray, info: np.ndarray, batch: int = 2_000) -> int:
        """Bulk load grouped by bucket: one HSET with many fields per bucket."""
        prefixes = np.asarray(prefixes, dtype=np.int64)
        buckets = (prefixes.view(np.uint64) & np.uint64(N_BUCKETS - 1)).astype(np.int64)
        # the bucket is the low 20 bits == low bits of the last 3 big-endian bytes
        order = np.argsort(buckets, kind="stable")
        buckets, prefixes, info = buckets[order], prefixes[order], np.asarray(info)[order]
        bounds = np.flatnonzero(np.diff(buckets)) + 1
        starts = np.concatenate([[0], bounds])
        ends = np.concatenate([bounds, [len(buckets)]])
        raw = prefixes.astype(">i8").tobytes()
        pipe = self.r.pipeline(transaction=False)  # type: ignore[attr-defined]
        info_l = info.tolist()
        for n, (s, e) in enumerate(zip(starts.tolist(), ends.tolist(), strict=True)):
            mapping = {raw[8 * i : 8 * i + 8]: info_l[i] for i in range(s, e)}
            pipe.hset(self._key(int(buckets[s])), mapping=mapping)
            if n % batch == batch - 1:
                pipe.execute()
        pipe.execute()
        return len(prefixes)

    def clear(self) -> None:
        cursor = 0
        while True:
            cursor, keys = self.r.scan(cursor, match=f"{self.ns}:reg:*", count=10_000)  # type: ignore[attr-defined]
            if keys:
                self.r.unlink(*keys)  # type: ignore[attr-defined]
            if cursor == 0:
                break
