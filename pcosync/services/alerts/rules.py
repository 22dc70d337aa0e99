"""When something is a problem someone must hear about, and when it is over.

- A run (top level, not a preview) that fails or is stopped by the guard opens "run:<kind>";
  the next run of that kind to complete resolves it.
- PCO refusing the credentials in a run opens "credentials"; a completed run resolves it.
- The worker's heartbeat older than WORKER_HEARTBEAT_MAX_AGE opens "worker" (the web process
  and the worker's alert check look); a fresh one resolves it.
- A Quick Sync that finds changes no webhook brought opens "webhooks-broken" (webhooks.py).
- Once webhooks were set up here, a handled event whose subscription is missing, inactive or
  delivering elsewhere opens "webhook-subscriptions"; all active again resolves it.
"""
import logging

from ...models import RunStatus
from ...pco.errors import PCOAuthError
from ..runs import kinds
from . import webhooks
from .notify import open_problems, raise_alert, resolve_alert

log = logging.getLogger("pcosync.alerts")
CREDENTIALS, WORKER, SUBSCRIPTIONS = "credentials", "worker", "webhook-subscriptions"
SYNC_PAGE = "/sync/"


def run_problem(kind):
    return f"run:{kind}"


def run_finished(run):
    """Called by the run lifecycle as each run ends (steps and previews are not alerts)."""
    if run.parent_id is not None or run.preview:
        return
    if run.status == RunStatus.FAILED:
        raise_alert(run_problem(run.kind), failed_message(run), f"/sync/runs/{run.id}")
    elif run.status == RunStatus.COMPLETED:
        resolve_completed(run)
        if run.kind == kinds.QUICK_SYNC:
            webhooks.quick_sync_finished(run)


def failed_message(run):
    what = "was stopped by the guard" if run.needs_review else "failed"
    return (f"{run.kind} {what}. {run.error or 'No reason was recorded.'} Until a {run.kind} "
            "completes, no other message is sent about it.")


def resolve_completed(run):
    """A completed run resolves its kind's problem and shows that PCO takes the credentials.
    One read when nothing is open: a Quick Sync every few minutes writes nothing here."""
    problems = open_problems()
    if run_problem(run.kind) in problems:
        resolve_alert(run_problem(run.kind), f"{run.kind} completed again (run {run.id}).")
    if CREDENTIALS in problems:
        resolve_alert(CREDENTIALS, f"PCO accepted the credentials again ({run.kind}).")


def run_error(err):
    """Called with the exception a run ended on: PCO refusing the credentials is its own
    problem (the token's owner may have left the church), beside the run's failure."""
    cause = err.__cause__ if err.__cause__ is not None else err
    if isinstance(err, PCOAuthError) or isinstance(cause, PCOAuthError):
        raise_alert(CREDENTIALS, "PCO refused the credentials (PCO_APP_ID and PCO_SECRET): "
                    "no sync can run until they are fixed. The Personal Access Token may have "
                    "been revoked, or its PCO user may have left. Create a new token in PCO and "
                    "set it, then press Test Connection.", SYNC_PAGE)


def worker_checked(heartbeat_age, max_age):
    """`heartbeat_age`: seconds since the freshest worker's heartbeat, None: no worker."""
    if heartbeat_age is not None and heartbeat_age <= max_age:
        if WORKER in open_problems():
            resolve_alert(WORKER, "The worker is running again: syncs and webhooks are "
                          "processed.")
        return
    seen = ("no worker is running" if heartbeat_age is None
            else f"the worker's last heartbeat was {int(heartbeat_age // 60)} minutes ago")
    raise_alert(WORKER, f"The sync worker stopped: {seen}. Scheduled syncs and webhook "
                "deliveries wait until it runs again (on Heroku: scale the worker dyno to 1 "
                "and look at its logs).", SYNC_PAGE)


def subscriptions_checked(events, set_up_here):
    """`events`: services.webhooks.health's list; judged only once webhooks were set up here
    (a church that never set them up has no subscription to miss)."""
    failing = [item for item in events if item.state != "active"]
    if not set_up_here or not failing:
        if SUBSCRIPTIONS in open_problems():
            resolve_alert(SUBSCRIPTIONS, "Every webhook subscription is active again.")
        return
    names = ", ".join(f"{item.event} ({item.state})" for item in failing[:5])
    more = f" and {len(failing) - 5} more" if len(failing) > 5 else ""
    raise_alert(SUBSCRIPTIONS, f"Webhook subscriptions need attention. {len(failing)}: {names}"
                f"{more}. Changes in PCO reach this site only with the next Quick Sync or Full "
                "Sync until they are active; press Set up webhooks on the Sync page.",
                SYNC_PAGE + "#webhook-title")
