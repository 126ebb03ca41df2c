"""Draws that give exactly what ``numpy.random.Generator`` gives (values and generator state),
faster: weighted choices without ``choice``'s per-call validation, cdf searches by table lookup
(:class:`CdfTable`) and scalar ``integers``/``random`` by emulating PCG64's output mapping
(:class:`FastDraws`).

``Generator.choice`` with ``p`` and ``replace=True`` computes ``cdf = p.cumsum(); cdf /= cdf[-1]``,
draws ``random(size)`` and returns ``searchsorted(cdf, u, side="right")`` (or ``a[that]``); the
equalities are checked in tests/sim/test_sim_fast_paths.py.
"""

from __future__ import annotations

import numpy as np


def cdf_of(p) -> np.ndarray:
    cdf = np.asarray(p, dtype=np.float64).cumsum()
    cdf /= cdf[-1]
    return cdf


class CdfTable:
    """``cdf.searchsorted(u, side="right")`` for many ``u`` in [0, 1), exactly, by table lookup.

    [0, 1) is cut into 2**12 equal buckets (``u * 4096`` is exact, so its floor is the bucket);
    a bucket that no cdf value falls into has one answer for all its ``u``; the few ``u`` in the
    other buckets are searched. numpy's binary search costs ~25 ns a value on short cdfs.
    """

    BITS = 12

    def __init__(self, cdf: np.ndarray) -> None:
        self.cdf = cdf
        k = 1 << self.BITS
        lo = np.arange(k, dtype=np.float64) / k
        hi = np.nextafter(np.arange(1, k + 1, dtype=np.float64) / k, 0)  # largest u in bucket
        at_lo = cdf.searchsorted(lo, side="right")
        at_hi = cdf.searchsorted(hi, side="right")
        self.table = np.where(at_lo == at_hi, at_lo, -1).astype(np.intp)

    def search(self, u: np.ndarray) -> np.ndarray:
        out = self.table[(u * (1 << self.BITS)).astype(np.intp)]
        amb = np.flatnonzero(out < 0)
        if len(amb):
            out[amb] = self.cdf.searchsorted(u[amb], side="right")
        return out


def choice_cdf(rng: np.random.Generator, a, size: int, cdf: np.ndarray) -> np.ndarray:
    """``rng.choice(a, size=size, p=p)`` for ``cdf = cdf_of(p)`` (``a``: an int or a 1-D list)."""
    idx = cdf.searchsorted(rng.random(size), side="right")
    return idx if isinstance(a, int | np.integer) else np.asarray(a)[idx]


def choice_p(rng: np.random.Generator, a, size: int, p) -> np.ndarray:
    """``rng.choice(a, size=size, p=p)`` with an integer ``size``."""
    return choice_cdf(rng, a, size, cdf_of(p))


_M32 = 0xFFFFFFFF
_M64 = 0xFFFFFFFFFFFFFFFF
_TO_DOUBLE = 1.0 / 9007199254740992.0


class FastDraws:
    """Scalar ``random()`` and ``integers(low, high[, size])`` with exactly the values and the
    generator state of a PCG64 ``numpy.random.Generator``, at a fraction of their per-call cost
    (~2 µs each in numpy, mostly argument handling; the case planner makes hundreds per case).

    Raw 64-bit outputs are taken in blocks (``bit_generator.random_raw``) and turned into values
    as numpy does: ``random()`` is ``(u64 >> 11) * 2**-53``; ``integers`` is Lemire's bounded
    method on 32-bit halves (PCG64 hands out the low half of a 64-bit output and keeps the high
    half for the next 32-bit draw) when ``high - low - 1 < 2**32``, else on 64-bit outputs.
    Anything else must use :attr:`gen`, which first writes the position back into the generator
    (rewind to the block start, advance by the outputs used, restore the kept half).
    """

    __slots__ = ("_g", "_bg", "_raw", "_i", "_base", "_has32", "_u32")

    BLOCK = 64

    def __init__(self, gen: np.random.Generator) -> None:
        if not isinstance(gen.bit_generator, np.random.PCG64):
            raise TypeError("FastDraws emulates PCG64 only")
        self._g = gen
        self._bg = gen.bit_generator
        self._raw: list[int] = []
        self._i = 0
        self._base: dict | None = None
        self._has32 = 0
        self._u32 = 0

    @property
    def gen(self) -> np.random.Generator:
        """The generator, in the state these draws left it in."""
        self.sync()
        return self._g

    def sync(self) -> None:
        if self._base is None:
            return
        bg = self._bg
        bg.state = self._base
        if self._i:
            bg.advance(self._i)
        st = bg.state
        st["has_uint32"] = self._has32
        st["uinteger"] = self._u32
        bg.state = st
        self._base = None
        self._raw = []
        self._i = 0

    def _start(self) -> None:
        st = self._bg.state
        self._base = st
        self._has32, self._u32 = st["has_uint32"], st["uinteger"]
        self._raw = []
        self._i = 0

    def _next64(self) -> int:
        i = self._i
        raw = self._raw
        if i >= len(raw):
            if self._base is None:
                self._start()
            elif raw:  # the previous block is used up: the generator stands at its end
                self._base = self._bg.state
            raw = self._raw = self._bg.random_raw(self.BLOCK).tolist()
            i = 0
        self._i = i + 1
        return raw[i]

    def _next32(self) -> int:
        if self._base is None:
            self._start()
        if self._has32:
            self._has32 = 0
            return self._u32
        v = self._next64()
        self._has32 = 1
        self._u32 = v >> 32
        return v & _M32

    def random(self) -> float:
        return (self._next64() >> 11) * _TO_DOUBLE

    def _bounded(self, off: int, rng: int) -> int:
        if rng == 0:
            return off
        if rng <= _M32:
            if rng == _M32:
                return off + self._next32()
            excl = rng + 1
            m = self._next32() * excl
            left = m & _M32
            if left < excl:
                threshold = (_M32 - rng) % excl
                while left < threshold:
                    m = self._next32() * excl
                    left = m & _M32
            return off + (m >> 32)
        if rng == _M64:
            return off + self._next64()
        excl = rng + 1
        m = self._next64() * excl
        left = m & _M64
        if left < excl:
            threshold = (_M64 - rng) % excl
            while left < threshold:
                m = self._next64() * excl
                left = m & _M64
        return off + (m >> 64)

    def integers(self, low: int, high: int, size: int | None = None):
        """``Generator.integers(low, high[, size])`` for Python ints (int64 results)."""
        low, high = int(low), int(high)
        rng = high - 1 - low
        if size is None and 0 < rng < _M32 and self._base is not None:
            # the common case inline: one 32-bit half, Lemire's method, rarely a rejection
            excl = rng + 1
            if self._has32:
                self._has32 = 0
                m = self._u32 * excl
            else:
                v = self._next64()
                self._has32 = 1
                self._u32 = v >> 32
                m = (v & _M32) * excl
            if (m & _M32) < excl:
                threshold = (_M32 - rng) % excl
                while (m & _M32) < threshold:
                    m = self._next32() * excl
            return low + (m >> 32)
        if rng < 0:
            raise ValueError("low >= high")
        if size is None:
            return self._bounded(low, rng)
        return np.array([self._bounded(low, rng) for _ in range(size)], dtype=np.int64)
