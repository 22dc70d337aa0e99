"""The heap a run works in: what the cyclic collector scans, and where PCO's answers go.

A run reads thousands of pages (about 400 KB each for people, on the read-ahead threads,
pco/prefetch.py) and keeps little of each: how the process's memory holds up over a long run
depends on both settings here."""
import ctypes
import gc
import os
from contextlib import contextmanager

M_MMAP_THRESHOLD = -3  # glibc's mallopt parameter (malloc.h)
LARGE_BLOCK_BYTES = 128 * 1024  # glibc's own starting threshold
OPERATOR_SETTING = "MALLOC_MMAP_THRESHOLD_"


@contextmanager
def frozen_heap():
    """What lived before the run (the app, its modules, the worker's session) is kept out of the
    cyclic collector's sight while the run goes: each full collection scanned it all again,
    about 130 ms a time, two of them a tenth of an unchanged pull of 10,000 people. It is
    unfrozen, and can be collected again, when the run ends."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def large_blocks_returned() -> bool:
    """Have glibc's malloc give each block over 128 KiB a mapping of its own, handed back to
    the system when freed; True if it was set.

    By default glibc raises that threshold to the size of the largest such block freed (up to
    32 MiB), and from then on every page's body was carved out of the heap among small objects
    that outlive it, so the heap kept growing: 24 MiB of a 100,000-person run's peak memory
    (docs/operations/scale.md). An operator's own MALLOC_MMAP_THRESHOLD_ is left as it is, and
    so is any other C library (no mallopt, or one that does nothing)."""
    if OPERATOR_SETTING in os.environ:
        return False
    mallopt = getattr(_libc(), "mallopt", None)
    return bool(mallopt is not None and mallopt(M_MMAP_THRESHOLD, LARGE_BLOCK_BYTES))


def _libc():
    try:
        return ctypes.CDLL(None)  # the process's own symbols, the C library's among them
    except (OSError, TypeError):  # a platform without a process-wide namespace
        return None
