"""The RQ worker that runs sync jobs inside the app context."""
from rq.worker import HerokuWorker

from .extensions import db


class PcosyncWorker(HerokuWorker):
    """HerokuWorker (dyno SIGTERM -> the job gets a few seconds, then is cancelled) whose forked
    work horse opens its own database connections instead of sharing the parent's sockets."""

    def main_work_horse(self, job, queue):
        db.engine.dispose(close=False)
        super().main_work_horse(job, queue)


def run_worker(app, burst=False, worker_class=PcosyncWorker):
    from .queues import get_queue, get_redis

    worker = worker_class([get_queue(app)], connection=get_redis(app))
    return worker.work(burst=burst, logging_level=app.config.get("LOG_LEVEL", "INFO"),
                       with_scheduler=True)
