"""`flask pco scope show|set`: what syncs (services/settings/scope_choice.py), as on
Sync -> What syncs."""
import click
from flask import current_app
from flask.cli import AppGroup

from .group import pco_cli

scope_cli = AppGroup("scope", help="What syncs: PCO lists, campus, membership, age.")
pco_cli.add_command(scope_cli)


@scope_cli.command("show")
def show_scope_command():
    """Print the scope as one sentence and how many people are in and out of it."""
    from ..services.settings.scope import sentence
    from ..services.settings.scope_choice import headcount

    counts = headcount()
    click.echo(sentence())
    click.echo(f"In the scope: {counts['in_scope']} people synced from PCO; outside it (kept, "
               f"not updated): {counts['out_of_scope']}.")
    click.echo(f"A push may write {counts['sendable']} active people; do not send to PCO: "
               f"{counts['do_not_send']}.")


@scope_cli.command("set")
@click.option("--list", "lists", multiple=True, metavar="NAME",
              help="A PCO list by its name in PCO (repeatable): only its people sync.")
@click.option("--campus", help="Pull only people of this campus (its name).")
@click.option("--membership", help="Pull only people with this membership.")
@click.option("--adults-only", is_flag=True, help="Pull adults only.")
@click.option("--push-campus", help="Push only people of this campus (its name).")
@click.option("--push-membership", help="Push only people with this membership.")
@click.option("--push-adults-only", is_flag=True, help="Push adults only.")
@click.option("--all", "everything", is_flag=True, help="Sync everything both ways again.")
@click.option("--yes", is_flag=True, help="Do not ask when many people would leave the scope.")
def set_scope_command(lists, campus, membership, adults_only, push_campus, push_membership,
                      push_adults_only, everything, yes):
    """Replace the scope with the one given (options not given are cleared)."""
    from ..pco.errors import PCOError
    from ..services.settings import scope_choice as service
    from ..services.settings.scope import sentence

    chosen = any((lists, campus, membership, adults_only, push_campus, push_membership,
                  push_adults_only))
    if everything == chosen:
        raise click.UsageError("Give --all, or what to sync (--list, --campus, ...).")
    try:
        choice = service.ScopeChoice(
            [], service.find_campus(campus, in_pco=True), membership, adults_only,
            push_membership, service.find_campus(push_campus), push_adults_only)
        list_people = _choose_lists(choice, lists) if lists else None
    except (service.ScopeRefused, PCOError) as err:
        raise click.ClickException(str(err))
    _confirm_leaving(service.leaving_count(choice, list_people), yes)
    service.save(choice, "command line")
    click.echo(f"Saved. {sentence()}")


def _choose_lists(choice, names):
    """Sets the lists on `choice`; the PCO ids of their people."""
    from ..services.connection import while_admin_waits
    from ..services.settings import scope_choice as service

    def read(client):
        choice.pull_lists = service.choose_lists(names, service.pco_lists(client))
        return service.list_people_ids(client, choice.pull_lists)
    return while_admin_waits(read)


def _confirm_leaving(leaving, yes):
    limit = int(current_app.config.get("SCOPE_LEAVING_CONFIRM") or 10)
    if leaving and not yes and leaving >= limit:
        click.confirm(f"{leaving} people synced today leave the scope (nothing is deleted; the "
                      "next sync stops updating them). Save?", abort=True)
    elif leaving:
        click.echo(f"{leaving} people leave the scope.")
