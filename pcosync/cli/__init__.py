"""The `flask` commands, thin: they parse, call a service or a job, and print.

`flask users`, `flask people`, `flask first-run`, `flask worker` and `flask pco ...`
(runs, webhooks, schedules). The sandbox's `flask sandbox` comes from the pco_sandbox
package, registered as a `flask.commands` entry point.
"""
import copy

import click


def commands():
    from . import (alerts, duplicates, history, independence, runs,  # noqa: F401  (join pco_cli)
                   schedules, scope, webhooks)
    from .group import pco_cli
    from .people import people_cli
    from .users import first_run_command, users_cli
    from .worker import worker_command

    return users_cli, worker_command, first_run_command, pco_cli, people_cli


def register_commands(app):
    for command in commands():
        app.cli.add_command(command)


def app_for_help(app, error):
    """An app whose settings are missing or wrong (`error`), for the `flask` command line: it
    lists the commands and shows their help, and a command that would run ends with `error`
    in one line (exit code 1). Anywhere else (gunicorn, a script) the error is raised as it is:
    nothing runs without its settings."""
    context = click.get_current_context(silent=True)
    if context is None:
        raise error
    if not isinstance(context.command, click.Group):  # `flask run`, `flask shell`...
        raise click.ClickException(str(error))
    for command in commands():
        app.cli.add_command(refusing(command, error))
    return app


def refusing(command, error):
    """A copy of `command` (and of a group's commands) that shows the same help and refuses to
    run; the command itself is left as it is for every other app in the process."""
    def refuse(*args, **kwargs):
        raise click.ClickException(str(error))

    refused = copy.copy(command)
    if isinstance(command, click.Group):
        refused.commands = {name: refusing(sub, error) for name, sub in command.commands.items()}
    else:
        refused.callback = refuse
    return refused
