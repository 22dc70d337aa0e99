"""`flask pco duplicates ...`: the duplicate finder."""
import click
from flask.cli import AppGroup

from .group import pco_cli

duplicates_cli = AppGroup("duplicates", help="Likely duplicates among local people.")
pco_cli.add_command(duplicates_cli)


@duplicates_cli.command("scan")
@click.option("--queue", is_flag=True, help="Run it in the worker instead of here.")
def scan_command(queue):
    """Find likely duplicate pairs; they are listed on PCO Sync -> Duplicates."""
    if queue:
        from ..jobs import start_duplicate_scan

        queued = start_duplicate_scan()
        click.echo("Scan queued." if queued else "A scan is already queued or running.")
        return
    from ..services.duplicates.pairs import scan

    click.echo(f"{scan()} likely duplicate pairs to review.")
