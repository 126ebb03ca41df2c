"""Allocator settings for a long file ingestion: keep freed memory for the next batch.

Every batch allocates and frees a few hundred MB of Arrow buffers and numpy arrays. By default
both allocators hand large blocks back to the kernel at once, so the next batch faults the same
pages in again; on a busy host that page-fault work costs as much CPU as the validation itself.
For the duration of a file ingestion Arrow allocates from jemalloc with page purging deferred,
and glibc keeps large blocks in its heap; both are put back afterwards (glibc then trims).
"""

from __future__ import annotations

import ctypes
import ctypes.util
from collections.abc import Iterator
from contextlib import contextmanager

import pyarrow as pa

_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3
_GLIBC_DEFAULT_TRIM, _GLIBC_DEFAULT_MMAP = 128 * 1024, 128 * 1024
DECAY_MS = 30_000


def _libc():  # noqa: ANN202
    name = ctypes.util.find_library("c")
    if not name:
        return None
    try:
        libc = ctypes.CDLL(name)
        return libc if hasattr(libc, "mallopt") and hasattr(libc, "malloc_trim") else None
    except OSError:
        return None


@contextmanager
def reuse_memory() -> Iterator[None]:
    previous = pa.default_memory_pool()
    switched = False
    try:
        pool = pa.jemalloc_memory_pool()
        pa.jemalloc_set_decay_ms(DECAY_MS)
        pa.set_memory_pool(pool)
        switched = True
    except (NotImplementedError, pa.ArrowException):
        pass
    libc = _libc()
    if libc is not None:
        libc.mallopt(_M_MMAP_THRESHOLD, 1 << 30)
        libc.mallopt(_M_TRIM_THRESHOLD, 1 << 31)
    try:
        yield
    finally:
        if libc is not None:
            libc.mallopt(_M_MMAP_THRESHOLD, _GLIBC_DEFAULT_MMAP)
            libc.mallopt(_M_TRIM_THRESHOLD, _GLIBC_DEFAULT_TRIM)
            libc.malloc_trim(0)
        if switched:
            pa.set_memory_pool(previous)
