"""A run has glibc's malloc keep at most two heaps (arenas) for the process's threads: by
default each reading thread that found the heaps busy got one of its own and kept what it once
held (12-24 MiB of a 100,000-person run's peak memory)."""
import ctypes
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from pcosync.services.runs import execute, heap
from pcosync.services.runs.execute import execute_run
from pcosync.services.runs.lifecycle import start_run

GLIBC = hasattr(ctypes.CDLL(None), "malloc_info")
# Eight threads allocating at once, in a new interpreter; prints the heaps glibc then has.
BUSY_THREADS = textwrap.dedent("""
    import ctypes, importlib.util, sys, threading
    if sys.argv[1] == "fewer":
        spec = importlib.util.spec_from_file_location("heap", sys.argv[2])
        heap = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(heap)
        assert heap.fewer_arenas()
    libc = ctypes.CDLL(None)
    start = threading.Barrier(8)
    def allocate():
        start.wait()
        for _ in range(500):
            blocks = [bytes(1000) for _ in range(50)]
    threads = [threading.Thread(target=allocate) for _ in range(8)]
    [thread.start() for thread in threads]
    [thread.join() for thread in threads]
    libc.open_memstream.restype = ctypes.c_void_p
    text, size = ctypes.c_char_p(), ctypes.c_size_t()
    stream = ctypes.c_void_p(libc.open_memstream(ctypes.byref(text), ctypes.byref(size)))
    libc.malloc_info(0, stream)
    libc.fclose(stream)
    print(ctypes.string_at(text, size.value).count(b"<heap nr="))
""")


def heaps_after_busy_threads(mode, monkeypatch):
    monkeypatch.delenv(heap.OPERATOR_SETTING, raising=False)
    done = subprocess.run([sys.executable, "-c", BUSY_THREADS, mode, str(Path(heap.__file__))],
                          capture_output=True, text=True, check=True)
    return int(done.stdout)


@pytest.mark.skipif(not GLIBC, reason="glibc's malloc")
def test_busy_threads_share_two_heaps_once_set_and_get_their_own_otherwise(monkeypatch):
    assert heaps_after_busy_threads("fewer", monkeypatch) <= heap.RUN_ARENAS
    assert heaps_after_busy_threads("default", monkeypatch) > heap.RUN_ARENAS


@pytest.mark.one_database(reason="the C library's heaps are the process's, whatever the database")
def test_a_run_sets_it_before_its_threads_start(app, sandbox, monkeypatch):
    calls = []
    monkeypatch.setattr(execute, "fewer_arenas", lambda: calls.append("set"))
    assert execute_run(start_run("People").id) == "COMPLETED"
    assert calls == ["set"]


def test_an_operators_own_setting_is_left_alone(monkeypatch):
    monkeypatch.setenv(heap.OPERATOR_SETTING, "4")
    assert heap.fewer_arenas() is False
