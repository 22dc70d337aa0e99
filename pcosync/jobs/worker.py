"""The RQ worker that runs sync jobs inside the app context."""
from rq.worker import HerokuWorker, WorkerStatus

from ..extensions import db, get_redis

# Webhook batches, by the names RQ records (and those a release before the split recorded).
IN_PROCESS_JOBS = {"pcosync.jobs.webhooks.process_webhooks",
                   "pcosync.jobs.webhooks.process_webhook",
                   "pcosync.jobs.process_webhooks", "pcosync.jobs.process_webhook"}


class PcosyncWorker(HerokuWorker):
    """HerokuWorker (dyno SIGTERM -> the job gets a few seconds, then is cancelled) whose forked
    work horse opens its own database connections instead of sharing the parent's sockets."""

    def main_work_horse(self, job, queue):
        db.engine.dispose(close=False)
        super().main_work_horse(job, queue)

    def execute_job(self, job, queue):
        """Webhook jobs take milliseconds: run them in this process, as SimpleWorker does,
        instead of paying for a fork each; long sync runs still get a work horse of their own."""
        if job.func_name in IN_PROCESS_JOBS:
            self.prepare_execution(job)
            self.perform_job(job, queue)
            self.set_state(WorkerStatus.IDLE)
            return
        super().execute_job(job, queue)


def worker_ttl(app):
    """RQ's worker TTL: an idle worker beats every TTL - 15 s (RQ's default, 420, beats every
    405 s), so it is shortened to beat three times per WORKER_HEARTBEAT_MAX_AGE: a live idle
    worker never looks stopped to /healthz/sync."""
    return max(20, min(420, app.config["WORKER_HEARTBEAT_MAX_AGE"] // 3 + 15))


def run_worker(app, burst=False, worker_class=PcosyncWorker):
    from .queue import get_queue

    worker = worker_class([get_queue(app)], connection=get_redis(app),
                          worker_ttl=worker_ttl(app))
    # RQ arms the grace with signal.alarm, which counts whole seconds.
    worker.imminent_shutdown_delay = int(app.config.get("WORKER_SHUTDOWN_GRACE_SECONDS", 6))
    return worker.work(burst=burst, logging_level=app.config.get("LOG_LEVEL", "INFO"),
                       with_scheduler=True)
