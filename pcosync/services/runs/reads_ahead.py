"""In a run of steps, the next step's requests asked while this one writes (pco/early_reads.py).

A step that reads a listing tells when it has read it to the end (`Progress.when_read`, passed
to prefetch.telling); if the next step of the run has an early reader (kinds.Kind.reads_early),
it starts then. When that step starts, the reader stops and the client answers the step's GETs
with what it read; when the step ends, what it did not take is dropped. Reads made for a step
that does not come next (a catch-up came first) are dropped unused.
"""
from ...pco.early_reads import EarlyReads
from . import kinds


class ReadsAhead:
    def __init__(self, client, steps):
        self.client, self.steps = client, tuple(steps)
        self.current = self.upcoming = self.upcoming_kind = None

    def step_starts(self, kind):
        """The step's GETs take what was read for it; nothing more is read early."""
        self._drop("current")
        if self.upcoming is not None and self.upcoming_kind == kind:
            self.upcoming.stop()
            self.current, self.upcoming = self.upcoming, None
        self._drop("upcoming")
        self.client.early = self.current

    def when_read(self, kind, catching_up):
        """What the step `kind` calls once its listing is read: the next step's early reads
        start (None when the next step has no early reader)."""
        later = self.steps[self.steps.index(kind) + 1:] if kind in self.steps else ()
        reader = kinds.get(later[0]).reads_early if later and not catching_up else None
        if reader is None:
            return None
        self._drop("upcoming")
        self.upcoming, self.upcoming_kind = EarlyReads(self.client), later[0]
        upcoming = self.upcoming
        return lambda: upcoming.start(reader)

    def close(self):
        self._drop("current")
        self._drop("upcoming")
        self.client.early = None

    def _drop(self, which):
        reads = getattr(self, which)
        if reads is not None:
            reads.close()
        setattr(self, which, None)
