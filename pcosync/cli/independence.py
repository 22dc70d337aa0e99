"""`flask pco independence [--json]` and `flask pco disconnect [--yes]`: what exists only in
PCO, and a clean disconnect (services/independence)."""
import json

import click
import redis as redis_lib

from .group import pco_cli


def make_report():
    from ..pco.errors import PCOError
    from ..services.connection import make_client
    from ..services.independence.report import build_report

    client = make_client()
    try:
        return client, build_report(client)
    except PCOError as err:
        client.close()
        raise click.ClickException(str(err))


def echo_report(report):
    click.echo(f"{'Kind of data':<40} {'in PCO':>9} {'here':>9} {'only in PCO':>12}")
    for row in report.rows:
        if row.unseen:
            click.echo(f"{row.label:<40} {'?':>9} {row.here:>9} {'?':>12}  {row.unseen}")
            continue
        click.echo(f"{row.label:<40} {row.in_pco:>9} {row.here:>9} {row.only_in_pco:>12}"
                   + (f"  ({row.counted_as}; brought by {row.brought_by})"
                      if row.counted_as else f"  (brought by {row.brought_by})"))
    click.echo(f"\nAttendance left to read: {report.attendance_estimate['words']}")
    click.echo("\nNot brought over by this module (they stay in PCO):")
    for what, product in report.not_brought:
        click.echo(f"  - {what} ({product})")
    click.echo("\nEverything this module brings is here." if report.all_here else
               "\nRun `flask pco pull everything` (Bring It All Here) to bring the rest.")


@pco_cli.command("independence")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def independence_command(as_json):
    """For each kind of data: how much PCO holds, how much is here, what is only in PCO."""
    client, report = make_report()
    client.close()
    if as_json:
        click.echo(json.dumps(report.as_dict()))
    else:
        echo_report(report)


@pco_cli.command("disconnect")
@click.option("--yes", is_flag=True,
              help="Disconnect even while data exists only in PCO (it stays there).")
def disconnect_command(yes):
    """Stop syncing: delete this app's webhook subscriptions in PCO and turn off the schedules.
    Every record and PCO id here stays."""
    from ..jobs import apply_schedules
    from ..pco.errors import PCOError
    from ..services.independence.disconnect import STEPS, StillInPCO, disconnect

    for number, step in enumerate(STEPS, 1):
        click.echo(f"{number}. {step}")
    client, report = make_report()
    try:
        row = disconnect(client, by="cli", confirmed=yes, report=report)
    except StillInPCO as err:
        echo_report(report)
        raise click.ClickException(f"{err} (--yes confirms.)")
    except PCOError as err:
        raise click.ClickException(str(err))
    finally:
        client.close()
    try:
        apply_schedules()
    except redis_lib.RedisError as err:  # the worker applies the saved schedules when it starts
        click.echo(f"The job queue could not be told now ({type(err).__name__}); the worker "
                   "applies the schedules (all off) when it starts.")
    click.echo(f"Disconnected: {row.subscriptions_deleted} webhook subscriptions deleted in "
               f"PCO, {row.schedules_turned_off} schedules turned off; every record and PCO id "
               "is kept. To reconnect, run a sync: it resumes from the stored PCO ids.")
