"""`flask pco webhooks ...`: subscriptions and deliveries."""
import click
from flask import current_app
from flask.cli import AppGroup

from .group import pco_cli

webhooks_cli = AppGroup("webhooks", help="Webhook subscriptions and deliveries from PCO.")
pco_cli.add_command(webhooks_cli)


@webhooks_cli.command("retry")
def retry_webhooks_command():
    """Queue every failed delivery again."""
    from ..jobs import retry_failed_deliveries

    click.echo(f"Queued {retry_failed_deliveries()} failed deliveries again.")


@webhooks_cli.command("sweep")
def sweep_webhooks_command():
    """Queue deliveries that were recorded while the queue was down."""
    from ..jobs import sweep_deliveries

    click.echo(f"Queued {sweep_deliveries()} waiting deliveries.")


@webhooks_cli.command("import-secrets")
def import_secrets_command():
    """Store the authenticity secret of every PCO webhook subscription of this app."""
    from ..pco.errors import PCOError
    from ..services.connection import while_admin_waits
    from ..services.webhooks.subscriptions import NoAddress, import_subscriptions

    try:
        result = while_admin_waits(lambda client: import_subscriptions(client,
                                                                       current_app.config))
    except (PCOError, NoAddress) as err:
        raise click.ClickException(str(err))
    click.echo(result.summary())


@webhooks_cli.command("setup")
def setup_webhooks_command():
    """Give every event the app handles one active subscription to PUBLIC_BASE_URL."""
    from ..services.webhooks.setup import set_up

    click.echo(_with_pco(lambda client: set_up(client, current_app.config)).summary())


@webhooks_cli.command("rotate-secrets")
def rotate_secrets_command():
    """Rotate the secret of every subscription set up here (the old one verifies for an hour)."""
    from ..services.webhooks.setup import rotate_secrets

    click.echo(f"Rotated {_with_pco(rotate_secrets)} webhook secrets; the new ones are stored.")


@webhooks_cli.command("check")
def check_webhooks_command():
    """What the daily check does: re-activate subscriptions PCO deactivated."""
    from ..services.webhooks.setup import daily_check

    click.echo(_with_pco(lambda client: daily_check(client, current_app.config)).summary())


@webhooks_cli.command("health")
def webhook_health_command():
    """Each handled event's subscription: active or not, last delivery here, failures."""
    from ..services.webhooks.health import health

    for item in health(current_app.config):
        last = f"{item.last_delivery_at:%Y-%m-%d %H:%M} UTC" if item.last_delivery_at else "never"
        click.echo(f"{item.event:<45} {item.state:<9} last delivery {last:<21} "
                   f"failures {item.failures}")


def _with_pco(action):
    """`action(client)` with the admin's patience; PCO's and setup's refusals become a clear
    error and a non-zero exit."""
    from ..pco.errors import PCOError
    from ..services.connection import while_admin_waits
    from ..services.webhooks.setup import SetupRefused

    try:
        return while_admin_waits(action)
    except (PCOError, SetupRefused) as err:
        raise click.ClickException(str(err))
