"""A run has glibc's malloc give each large block (a page of PCO's answer) a mapping of its
own, whatever larger block was freed before: with glibc's default, freeing one raised the
threshold and later pages were carved out of the heap, which then only grew."""
import ctypes

import pytest

from pcosync.services.runs.execute import execute_run
from pcosync.services.runs.heap import OPERATOR_SETTING, large_blocks_returned
from pcosync.services.runs.lifecycle import start_run

LIBC = ctypes.CDLL(None)
PAGE_BODY = 400_000  # about a page of people with what it includes


class MallInfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in (
        "arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks",
        "fordblks", "keepcost")]


def mapped_blocks() -> int:
    LIBC.mallinfo2.restype = MallInfo2
    return LIBC.mallinfo2().hblks


pytestmark = pytest.mark.skipif(not hasattr(LIBC, "mallinfo2"), reason="glibc 2.33 or later")


@pytest.mark.one_database(reason="the C library's heap is the process's, whatever the database")
def test_after_a_run_a_page_sized_block_is_mapped_even_after_a_larger_one_was_freed(
        app, sandbox, monkeypatch):
    monkeypatch.delenv(OPERATOR_SETTING, raising=False)
    assert execute_run(start_run("People").id) == "COMPLETED"
    larger = bytes(8 << 20)  # mapped, then freed: glibc's default threshold learns from it
    del larger
    before = mapped_blocks()
    bodies = [bytes(PAGE_BODY) for _ in range(8)]
    assert mapped_blocks() - before >= len(bodies)


def test_an_operators_own_threshold_is_left_alone(monkeypatch):
    monkeypatch.setenv(OPERATOR_SETTING, "65536")
    assert large_blocks_returned() is False
