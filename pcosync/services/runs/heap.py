"""The heap a run works in: what the cyclic collector scans, and how many heaps the C library
keeps for the run's threads.

A run reads thousands of pages (about 400 KB each for people, decoded on the read-ahead
threads, pco/prefetch.py, through a buffer of some 4.6 MB) and keeps little of each: how the
process's memory holds up over a long run depends on both settings here."""
import ctypes
import gc
import os
from contextlib import contextmanager

M_ARENA_MAX = -8  # glibc's mallopt parameter (malloc.h)
RUN_ARENAS = 2
OPERATOR_SETTING = "MALLOC_ARENA_MAX"


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


def fewer_arenas() -> bool:
    """Have glibc's malloc keep at most two heaps (arenas) for all the process's threads from
    now on; True if it was set.

    By default a thread that finds the heaps busy gets one of its own, up to eight per core,
    and each keeps the memory it once held: every listing's reading threads decoded their
    pages into heaps of their own, 12-24 MiB of a 100,000-person run's peak memory
    (docs/operations/scale.md). Two heaps measured as fast. An operator's own
    MALLOC_ARENA_MAX is left as it is, and so is any other C library (no mallopt, or one that
    does nothing)."""
    if OPERATOR_SETTING in os.environ:
        return False
    mallopt = getattr(_libc(), "mallopt", None)
    return bool(mallopt is not None and mallopt(M_ARENA_MAX, RUN_ARENAS))


def _libc():
    try:
        return ctypes.CDLL(None)  # the process's own symbols, the C library's among them
    except (OSError, TypeError):  # a platform without a process-wide namespace
        return None
