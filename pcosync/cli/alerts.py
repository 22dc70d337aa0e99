"""`flask pco alerts ...`: the test alert, and the checks the web process and worker run."""
import click
from flask.cli import AppGroup

from .group import pco_cli

alerts_cli = AppGroup("alerts", help="Alerts by email when sync stops.")
pco_cli.add_command(alerts_cli)


@alerts_cli.command("test")
def test_alert_command():
    """Send a test alert to ALERT_EMAILS (or write it to the log when mail is not set up)."""
    from ..services.alerts.notify import MailError, send_test_alert

    try:
        click.echo(send_test_alert())
    except MailError as err:
        raise click.ClickException(str(err))


@alerts_cli.command("check")
def check_alerts_command():
    """Check the sync's health now (worker, webhooks, credentials), raising or resolving
    alerts, and print what /healthz/sync would answer."""
    from ..services.alerts.health import sync_health

    report = sync_health()
    for name, check in report["checks"].items():
        details = ", ".join(f"{key}={value}" for key, value in check.items() if key != "ok")
        click.echo(f"{name:<12} {'ok' if check['ok'] else 'FAILING':<8} {details}")
    if not report["ok"]:
        raise SystemExit(1)
