"""The `flask` commands, thin: they parse, call a service or a job, and print.

`flask users`, `flask first-run`, `flask worker` and `flask pco ...` (runs, webhooks,
schedules). The sandbox's `flask sandbox` comes from the pco_sandbox package, registered as a
`flask.commands` entry point.
"""


def register_commands(app):
    from . import history, runs, schedules, webhooks  # noqa: F401  (they join pco_cli)
    from .group import pco_cli
    from .users import first_run_command, users_cli
    from .worker import worker_command

    for command in (users_cli, worker_command, first_run_command, pco_cli):
        app.cli.add_command(command)
