"""Reading PCO for a delivery whose payload is not enough (rare; handlers/__init__ lists when).

In the worker's batch a read is never made while the batch holds the deliveries' lock (on
SQLite that lock is the database's one writer, and a read may wait for PCO's rate budget): the
handler raises ReadFirst, the batch commits the rest, then reads and applies this one alone.
Called outside a batch (a test, a script), the handler reads and applies at once.
"""
from ...pco.errors import PCONotFound


class ReadFirst(Exception):
    """`read(client)` first, then `apply(what was read, client, log)` returns the note. `key`
    names what is read (("Person", id)): deliveries of one batch needing the same record (a
    new person's person.created and email.created) share one read."""

    def __init__(self, reason, read, apply, key=None):
        super().__init__(reason)
        self.reason, self.read, self.apply, self.key = reason, read, apply, key


def read_then_apply(client, log, reason, read, apply, key=None):
    if getattr(log, "defer_reads", False):
        raise ReadFirst(reason, read, apply, key)
    return apply(read(client), client, log)


def or_none(get, *args):
    """PCO's resource, or None when PCO no longer has it."""
    try:
        return get(*args)
    except PCONotFound:
        return None
