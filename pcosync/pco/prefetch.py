"""Reading a listing's next page while the caller works on the current one.

Taking turns (fetch a page, apply it, fetch the next) puts each fetch and its wait for PCO's
rate budget on top of the work, so a Full Sync would take well over the floor the limit
imposes. PCOClient.iter_pages(read_ahead=True) sends the request for
page N+1 from a thread of its own as soon as page N names it, and hands page N over meanwhile:
one request ahead, never more, and every request still goes through the client's rate limiter.

The thread only sends the request and receives the body (waiting on the network or on the
budget, which leaves the interpreter to the caller); the JSON is read in the caller's thread,
so the two do not take turns holding Python's lock. An error the thread meets is raised where
the caller asks for that page, as it would have been without the thread. When the listing is
closed (done, error or cancel) the thread is joined: the request in flight, or its wait for
the budget, ends first, and it is the only request a cancelled run may have spent for nothing.
"""
from concurrent.futures import ThreadPoolExecutor


class ReadAhead:
    """Runs one call at a time on a thread of its own (made on first use)."""

    def __init__(self):
        self._executor = None

    def start(self, call, *args):
        """The call's future: `wait(future)` gives its result, or raises its error."""
        if self._executor is None:
            self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pco-prefetch")
        return self._executor.submit(call, *args)

    def stop(self):
        """Join the thread (after the call in flight, if any)."""
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None


def wait(future):
    """The result of a call started ahead (the time spent here is time waiting on PCO)."""
    return future.result()
