"""The `flask pco` group; its commands attach themselves from runs, webhooks and schedules."""
from flask.cli import AppGroup

pco_cli = AppGroup("pco", help="Sync with Planning Center Online.")
