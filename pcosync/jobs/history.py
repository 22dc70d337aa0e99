"""The history's retention job: run daily by the worker's schedule (schedules.py)."""
from .queue import JobPolicy, enqueue

HISTORY_POLICY = JobPolicy(timeout=60 * 60)


def prune_history():
    from ..services.history.retention import prune

    return prune()


def enqueue_prune():
    return enqueue(prune_history, policy=HISTORY_POLICY)
