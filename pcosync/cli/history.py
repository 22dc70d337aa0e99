"""`flask pco history PERSON_ID`, `flask pco revert RUN_ID [--preview]` and
`flask pco revert-change CHANGE_ID`: the change history from the shell, and its undo."""
import click

from .group import pco_cli


@pco_cli.command("history")
@click.argument("person_id", type=int)
@click.option("--page", default=1, show_default=True, help="Older changes, 25 a page.")
@click.option("--sensitive", is_flag=True, help="Show sensitive fields' changes too.")
def history_command(person_id, page, sensitive):
    """A person's changes, newest first, in words."""
    from ..directory import history_words
    from ..extensions import db
    from ..models import Person
    from ..services.history import views

    person = db.session.get(Person, person_id)
    if person is None:
        raise click.ClickException(f"There is no person {person_id}.")
    found = views.page_of("person", person.id, page, show_sensitive=sensitive)
    more = f"; older: --page {found.number + 1}" if found.has_next else ""
    click.echo(f"{person.full_name}: page {found.number} of the history, newest first{more}")
    for entry in found.entries:
        click.echo(f"  [{entry.id}] {history_words.sentence(entry)}")


@pco_cli.command("revert")
@click.argument("run_id", type=int)
@click.option("--preview", is_flag=True, help="Say what it would do; change nothing.")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.option("--no-push", is_flag=True, help="Restore here only; push later yourself.")
def revert_command(run_id, preview, yes, no_push):
    """Revert a run: its changes' before-values back, what it created archived; then the push
    that sends the restored values to PCO (past the guard: you confirm it here)."""
    from ..services.history import revert

    try:
        plan = revert.plan_run(run_id)
    except revert.RevertError as err:
        raise click.ClickException(str(err))
    echo_plan(plan)
    if preview or not (plan.restores or plan.archives or plan.remakes):
        return
    if not yes:
        click.confirm(f"Revert {plan.sentence()}?", abort=True)
    revert.apply(plan)
    click.echo(f"Reverted {len(plan.restores)} field(s).")
    if plan.pco_writes and not no_push:
        push_restored(plan)


@pco_cli.command("revert-change")
@click.argument("change_id", type=int)
def revert_change_command(change_id):
    """Revert one field change (its id is in `flask pco history`); the next push sends it."""
    from ..services.history import revert

    try:
        plan = revert.plan_change(change_id)
    except revert.RevertError as err:
        raise click.ClickException(str(err))
    echo_plan(plan)
    revert.apply(plan)


def echo_plan(plan):
    from ..directory import history_words
    from ..services.history.views import named

    click.echo(f"Reverts {plan.sentence()}.")
    conflicts = named([restore.last for restore, _now in plan.conflicts])
    for entry, (_restore, now) in zip(conflicts, plan.conflicts):
        click.echo(f"  changed again since, not reverted: {entry.record_name}: "
                   f"{history_words.what(entry)}; now {history_words.shown(now)}")


def push_restored(plan):
    from ..jobs import QueueUnavailable, start_run_in_worker
    from ..services.runs.lifecycle import RunAlreadyActive

    try:
        run = start_run_in_worker(plan.push_kind, triggered_by="cli (revert)", confirmed=True)
    except (RunAlreadyActive, QueueUnavailable) as err:
        raise click.ClickException(f"The push did not start: {err}. Run it yourself.")
    click.echo(f"Queued {plan.push_kind} (run {run.id}) to send the restored values to PCO.")
