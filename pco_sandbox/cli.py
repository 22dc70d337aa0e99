"""`flask sandbox run ...` (the lead registers `sandbox_cli` on the main app) and
`python -m pco_sandbox ...`: serve a sandbox on its own port, threaded."""
import json

import click
from flask.cli import AppGroup
from werkzeug.serving import make_server

sandbox_cli = AppGroup("sandbox", help="Run the PCO sandbox (a local PCO look-alike).")


@sandbox_cli.command("run", with_appcontext=False)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=5001, show_default=True, type=int, help="Port to listen on.")
@click.option("--people", default=200, show_default=True, type=int,
              help="How many people to generate.")
@click.option("--seed", default=1, show_default=True, type=int,
              help="The data generator's seed.")
@click.option("--rate-limit", default=100, show_default=True, type=int,
              help="Requests per period per credential; 0 turns limiting off.")
@click.option("--rate-period", default=20, show_default=True, type=int,
              help="The rate limit's period, in seconds.")
@click.option("--imported", default=0, show_default=True,
              help="How many of the people share one created_at (a CSV import's crowded second).")
@click.option("--app-id", default="sandbox", show_default=True, envvar="SANDBOX_APP_ID",
              help="The application id clients log in with (HTTP Basic).")
@click.option("--secret", default="sandbox", show_default=True, envvar="SANDBOX_SECRET",
              help="The secret clients log in with.")
@click.option("--webhook-url", default=None, envvar="SANDBOX_WEBHOOK_URL",
              help="Where to deliver webhooks when the data changes (with --webhook-secret).")
@click.option("--webhook-secret", default=None, envvar="SANDBOX_WEBHOOK_SECRET",
              help="The secret the webhook deliveries are signed with.")
@click.option("--faults", default=None, help='JSON, e.g. \'{"error_rate": 0.05}\'.')
def run_command(host, port, people, seed, rate_limit, rate_period, imported, app_id, secret,
                webhook_url, webhook_secret, faults):
    """Generate data and serve the sandbox until interrupted."""
    from . import create_sandbox_app

    app = create_sandbox_app({
        "SANDBOX_PEOPLE": people, "SANDBOX_SEED": seed, "SANDBOX_RATE_LIMIT": rate_limit,
        "SANDBOX_RATE_PERIOD": rate_period, "SANDBOX_IMPORTED": imported, "SANDBOX_APP_ID": app_id,
        "SANDBOX_SECRET": secret, "SANDBOX_WEBHOOK_URL": webhook_url,
        "SANDBOX_WEBHOOK_SECRET": webhook_secret,
        "SANDBOX_FAULTS": json.loads(faults) if faults else {},
    })
    hooks = f", webhooks -> {webhook_url}" if webhook_url and webhook_secret else ""
    click.echo(f"PCO sandbox: {people} people (seed {seed}) on http://{host}:{port} "
               f"as {app_id}:{'*' * len(secret)}{hooks}")
    # Not run_simple: its "development server" banner alarmed newcomers running `make run`;
    # the sandbox is a local stand-in for PCO and never serves production traffic.
    server = make_server(host, port, app, threaded=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
