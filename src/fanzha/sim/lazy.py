"""Columns built later (on the lake writer's thread), for all rows or a subset of them."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pyarrow as pa


class Lazy:
    """A column built later from row-aligned numpy arrays: ``fn(*arrays)``, or for a subset of the
    rows ``fn(*(a[sel] for a in arrays))``. The lake writer builds each UTC day's rows of a table
    directly this way instead of building the whole table and filtering it (a copy of every
    string column)."""

    __slots__ = ("fn", "arrays")

    def __init__(self, fn: Callable[..., pa.Array], *arrays: np.ndarray) -> None:
        self.fn = fn
        self.arrays = arrays

    def build(self, sel: np.ndarray | None = None) -> pa.Array:
        if sel is None:
            return self.fn(*self.arrays)
        return self.fn(*(a[sel] for a in self.arrays))
