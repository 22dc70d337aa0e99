"""The duplicate finder as a job: a scan of a large directory takes longer than a request."""
import redis as redis_lib
from rq.exceptions import NoSuchJobError
from rq.job import Job

from ..extensions import get_redis
from .queue import PENDING_JOB_STATES, JobPolicy, QueueUnavailable, enqueue

SCAN_POLICY = JobPolicy(timeout=30 * 60)
SCAN_JOB_ID = "duplicate-scan"  # one scan at a time: one job id


def scan_duplicates():
    """The worker's entry point: find the pairs again; returns how many are open."""
    from ..services.duplicates.pairs import scan

    return scan()


def start_duplicate_scan():
    """Queue a scan unless one is waiting or running; True when one was queued now."""
    try:
        try:
            job = Job.fetch(SCAN_JOB_ID, connection=get_redis())
            if job.get_status() in PENDING_JOB_STATES:
                return False
            job.delete()
        except NoSuchJobError:
            pass
        enqueue(scan_duplicates, policy=SCAN_POLICY, job_id=SCAN_JOB_ID)
    except redis_lib.RedisError as err:
        raise QueueUnavailable("The job queue (Redis) is unavailable. Try again shortly.") \
            from err
    return True
