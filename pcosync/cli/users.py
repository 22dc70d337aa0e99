"""`flask users ...` and `flask first-run` (the first admin, for `make run`)."""
import click
from flask.cli import AppGroup, with_appcontext

users_cli = AppGroup("users", help="Manage admin users.")


@users_cli.command("create")
@click.argument("email")
@click.option("--role", default="TECH_ADMIN", show_default=True, help="TECH_ADMIN, STAFF, VIEWER")
@click.option("--name", default=None, help="The user's name (optional).")
@click.option("--password", default=None, help="For scripts; prompted for when omitted.")
def create_user_command(email, role, name, password):
    """Create a user with a role."""
    from ..auth.service import UserError, create_user

    if password is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = create_user(email, password, role, name=name)
    except UserError as err:
        raise click.ClickException(str(err))
    click.echo(f"Created user {user.email} with role {role}.")


@users_cli.command("set-password")
@click.argument("email")
@click.option("--password", default=None, help="For scripts; prompted for when omitted.")
def set_password_command(email, password):
    """Set a user's password; every session of that user ends (log in again)."""
    from ..auth.service import UserError, set_password

    if password is None:
        password = click.prompt("New password", hide_input=True, confirmation_prompt=True)
    try:
        user = set_password(email, password)
    except UserError as err:
        raise click.ClickException(str(err))
    click.echo(f"Password of {user.email} changed; their sessions have ended.")


@click.command("first-run")
@with_appcontext
def first_run_command():
    """Make the first admin when there is no user yet, and print its login (for `make run`)."""
    from ..auth.service import ensure_first_admin

    announce_first_admin(ensure_first_admin())


def announce_first_admin(login):
    if login is None:
        click.echo("Users exist already; log in with yours.")
        return
    email, password = login
    click.echo("=" * 60)
    click.echo("First run: an admin was created.")
    click.echo(f"  email:    {email}")
    click.echo(f"  password: {password}")
    click.echo("Keep it safe; `flask users create` makes more users.")
    click.echo("=" * 60)


@users_cli.command("grant")
@click.argument("email")
@click.argument("permission")
def grant_command(email, permission):
    """Give one user a permission (e.g. notes.view), through their own role."""
    from ..services.access.grants import GrantError, grant

    try:
        grant(email, permission)
    except GrantError as err:
        raise click.ClickException(str(err))
    click.echo(f"{email} now holds {permission}.")


@users_cli.command("revoke")
@click.argument("email")
@click.argument("permission")
def revoke_command(email, permission):
    """Take a permission granted to one user away."""
    from ..services.access.grants import GrantError, revoke

    try:
        still = revoke(email, permission)
    except GrantError as err:
        raise click.ClickException(str(err))
    if still:
        click.echo(f"{email} still holds {permission} through: {', '.join(still)} "
                   "(change those on the roles screen).")
    else:
        click.echo(f"{email} no longer holds {permission}.")
