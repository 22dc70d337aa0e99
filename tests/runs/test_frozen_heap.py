"""While a run goes, what lived before it is out of the cyclic collector's sight (a full
collection scanned the whole app again, about 130 ms each); when it ends, it is back."""
import gc

import pytest

from pcosync.services.pull import listing
from pcosync.services.runs.execute import execute_run
from pcosync.services.runs.lifecycle import start_run


@pytest.mark.one_database(reason="the collector is the process's, whatever the database")
def test_a_run_freezes_the_heap_it_started_with_and_unfreezes_it(app, sandbox, monkeypatch):
    frozen_while_loading = []
    load = listing.load_records

    def noting(*args):
        frozen_while_loading.append(gc.get_freeze_count())
        return load(*args)

    monkeypatch.setattr(listing, "load_records", noting)
    assert gc.get_freeze_count() == 0
    assert execute_run(start_run("People").id) == "COMPLETED"
    assert frozen_while_loading and min(frozen_while_loading) > 1000
    assert gc.get_freeze_count() == 0
