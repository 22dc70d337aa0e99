"""The only place that enqueues, and where each job declares its policy (queue.JobPolicy).
Entry points take ids only; the worker runs them inside the app context (`flask worker`).
Callers are the blueprints and the CLI: services never enqueue.

The entry points are also named here, as `pcosync.jobs.<name>`: jobs queued by a release
before the package was split still find their function after an upgrade.
"""
from .alerts import alert_check_tick, ensure_alert_check
from .duplicates import scan_duplicates, scan_state, start_duplicate_scan
from .queue import QueueUnavailable, get_queue
from .runs import preview_stopped_run, run_sync, start_run_in_worker
from .schedules import (
    apply_schedules, ensure_schedules, schedule_job_id, schedule_next, scheduled_tick,
    scheduled_ticks,
)
from .webhooks import (
    batch_queued, check_webhooks, process_webhook, process_webhooks, queue_batch,
    queue_delivery, retry_failed_deliveries, sweep_deliveries,
)

__all__ = [
    "QueueUnavailable", "alert_check_tick", "apply_schedules", "batch_queued",
    "check_webhooks", "ensure_alert_check", "ensure_schedules", "get_queue",
    "preview_stopped_run", "process_webhook", "process_webhooks", "queue_batch",
    "queue_delivery", "retry_failed_deliveries", "run_sync", "schedule_job_id",
    "schedule_next", "scheduled_tick", "scheduled_ticks", "start_run_in_worker",
    "sweep_deliveries", "scan_duplicates", "scan_state", "start_duplicate_scan",
]
