"""The Media step queued after a Quick Sync or a webhook batch that wrote a new photo or file
address: the step downloads only what is not stored yet, so queuing it is cheap and safe."""
import logging

from ..services.media.pull import media_waiting
from ..services.runs import kinds
from ..services.runs.lifecycle import RunAlreadyActive
from .queue import QueueUnavailable
from .runs import start_run_in_worker

log = logging.getLogger("pcosync.jobs")


def queue_media_if_waiting(since, triggered_by):
    """A Media run in the worker when records written since `since` wait for a download;
    None when nothing waits or another run is going (the next Media step catches up)."""
    if not media_waiting(since):
        return None
    try:
        return start_run_in_worker(kinds.MEDIA, triggered_by=triggered_by)
    except (RunAlreadyActive, QueueUnavailable) as err:
        log.info("media step not queued (%s): the next one downloads what waits", err)
        return None
