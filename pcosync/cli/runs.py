"""`flask pco pull|push|test-connection|cancel`: runs from the shell, cron or Heroku Scheduler."""
import sys

import click

from ..extensions import db
from ..models import RunStatus, SyncRun
from .group import pco_cli

CLI_FIRST_CHANGES = 5  # per kind of record (the run's page shows more)


class KindName(click.Choice):
    """The CLI names of one direction's run kinds (services/runs/kinds.py), read when the
    command is parsed or its help shown, so a kind declared at run time is offered too."""

    def __init__(self, direction):
        self.direction = direction
        super().__init__(())

    @property
    def choices(self):
        from ..services.runs import kinds

        return tuple(sorted(kind.cli_name for kind in kinds.declared(self.direction)))

    @choices.setter
    def choices(self, value):
        """click.Choice sets them once; here they are always read from the registry."""

    def kind(self, name):
        from ..services.runs import kinds

        return kinds.by_cli_name(self.direction, name).value


def run_kind(kind, enqueue, preview=False, confirm=False, command=""):
    """Start a run; in the foreground print its progress and exit non-zero unless COMPLETED.
    `preview`: write nothing, print what it would do; `confirm`: past the guard."""
    from ..jobs import QueueUnavailable, start_run_in_worker
    from ..services.runs.execute import execute_run
    from ..services.runs.lifecycle import RunAlreadyActive, start_run

    options = {"triggered_by": "cli", "preview": preview, "confirmed": confirm}
    try:
        if enqueue:
            run = start_run_in_worker(kind, **options)
            click.echo(f"Queued run {run.id} ({kind}); the worker will run it.")
            return
        run = start_run(kind, **options)
    except (RunAlreadyActive, QueueUnavailable) as err:
        raise click.ClickException(str(err))
    click.echo(f"Run {run.id}: {kind}{' preview' if preview else ''} started.")
    status = execute_run(run.id)
    run = db.session.get(SyncRun, run.id)
    report(run)
    if run.report and run.preview:
        echo_preview(run.report)
    if run.needs_review:
        click.echo(f"  Its preview: `flask pco {command} --preview`; to run it anyway: "
                   f"`flask pco {command} --confirm`.")
    if status != RunStatus.COMPLETED:
        sys.exit(1)


def echo_preview(preview):
    """A preview's report: what it would change here, send to PCO, file; the guard's word."""
    click.echo("  Preview: nothing was written here and nothing was sent to PCO.")
    if preview.get("guard"):
        click.echo(f"  The real run would stop: {preview['guard']}")
    for line in preview_lines(preview):
        click.echo(line)


def preview_lines(preview):
    lines = []
    for kind, change in (preview.get("changes") or {}).items():
        counts = ", ".join(f"{change[action]} {action}" for action in
                           ("created", "updated", "archived", "deleted") if change[action])
        lines.append(f"  {kind}: {counts or 'no change'}")
        for entry in change["first"][:CLI_FIRST_CHANGES]:
            lines.append(f"    {entry['action']} {entry['label']}{_fields(entry)}")
    writes = preview.get("pco_writes")
    if writes is not None:
        by_kind = ", ".join(f"{n} {kind}" for kind, n in writes["by_kind"].items())
        lines.append(f"  Would send to PCO: {writes['total']} writes{': ' if by_kind else ''}"
                     f"{by_kind}")
        lines += [f"    {w['method']} {w['path']} {w['attributes'] or ''}".rstrip()
                  for w in writes["first"]]
    issues = preview.get("issues") or {}
    if issues.get("total"):
        lines.append(f"  Would file {issues['total']} issue(s), e.g. "
                     f"{issues['first'][0]['reason']}")
    return lines


def _fields(entry):
    """": first_name=Ann; city=Salem" for a new row, ": last_name: Lee -> Leigh" for a change."""
    if entry["action"] == "created":
        parts = [f"{name}={after}" for name, _, after in entry["fields"]]
    else:
        parts = [f"{name}: {_shown(before)} -> {_shown(after)}"
                 for name, before, after in entry["fields"]]
    return ": " + "; ".join(parts) if parts else ""


def _shown(value):
    return "(none)" if value is None or value == "" else value


def report(run):
    click.echo(f"Run {run.id} {run.kind}: {run.status} in {run.duration_seconds:.1f} s; "
               f"created {run.created_count}, updated {run.updated_count}, "
               f"skipped {run.skipped_count}, failed {run.failed_count}.")
    for step in run.steps:
        click.echo(f"  step {step.kind}: {step.status}; created {step.created_count}, "
                   f"updated {step.updated_count}, skipped {step.skipped_count}, "
                   f"failed {step.failed_count}.")
    if run.error:
        click.echo(f"  error: {run.error}")
    if run.issues:
        click.echo(f"  {len(run.issues)} record(s) need attention (see the Sync page).")


def run_options(command):
    """--enqueue, --preview and --confirm, shared by pull and push."""
    options = (
        click.option("--enqueue", is_flag=True, help="Hand the run to the worker and return."),
        click.option("--preview", is_flag=True,
                     help="Write nothing here, send nothing to PCO: print what it would do."),
        click.option("--confirm", is_flag=True,
                     help="Run it even if the guard (SYNC_GUARD_PERCENT) would stop it."),
    )
    for option in reversed(options):
        command = option(command)
    return command


PULL_NAMES, PUSH_NAMES = KindName("pull"), KindName("push")


@pco_cli.command("pull")
@click.argument("what", type=PULL_NAMES)
@run_options
def pull_command(what, enqueue, preview, confirm):
    """Pull people, families, groups, all three (Full Sync), or what changed since the last
    Quick Sync (quick) from PCO."""
    run_kind(PULL_NAMES.kind(what), enqueue, preview, confirm, command=f"pull {what}")


@pco_cli.command("push")
@click.argument("what", type=PUSH_NAMES)
@run_options
def push_command(what, enqueue, preview, confirm):
    """Push people, families, group memberships, or all three (Full Push) to PCO."""
    run_kind(PUSH_NAMES.kind(what), enqueue, preview, confirm, command=f"push {what}")


@pco_cli.command("test-connection")
def test_connection_command():
    """Print the PCO organization's name and what the token can see, or what is wrong."""
    from ..pco.errors import PCOError
    from ..services.connection import check_connection

    try:
        name, can_see = check_connection()
        click.echo(f"Connected to {name}. {can_see}")
    except PCOError as err:
        raise click.ClickException(str(err))


@pco_cli.command("cancel")
def cancel_command():
    """Ask the running sync to stop at its next page."""
    from ..services.runs.lifecycle import active_run, request_cancel

    run = active_run()
    if run is None or not request_cancel(run.id):
        raise click.ClickException("No sync is running.")
    click.echo(f"Cancel requested for run {run.id} ({run.kind}).")
