"""`flask people export|erase PERSON_ID`: a person's data on request (services/privacy)."""
import click
from flask.cli import AppGroup

people_cli = AppGroup("people", help="A person's data on request: export it, or erase them.")


def _person(person_id):
    from ..extensions import db
    from ..models import Person

    person = db.session.get(Person, person_id)
    if person is None:
        raise click.ClickException(f"no local person {person_id}")
    return person


@people_cli.command("export")
@click.argument("person_id", type=int)
@click.option("--out", "out", type=click.Path(dir_okay=False), default=None,
              help="The zip to write (default: person-ID-export.zip here).")
def export_command(person_id, out):
    """Write everything held about a person to a zip: person.json and their files."""
    from ..services.privacy.export import archive_name, export_archive

    person = _person(person_id)
    path = out or archive_name(person)
    with open(path, "wb") as archive:  # an operator at the console may read every kind
        archive.write(export_archive(person, can=lambda permission: True))
    click.echo(f"Wrote {path}.")


@people_cli.command("erase")
@click.argument("person_id", type=int)
@click.option("--in-pco", is_flag=True, help="Delete the person in PCO too.")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def erase_command(person_id, in_pco, yes):
    """Erase a person here (and in PCO with --in-pco); their PCO id never comes back."""
    from ..services.privacy.erase import PCO_SIDE, erase_on_request, plan

    person = _person(person_id)
    if not yes:
        _show_plan(person, plan(person), in_pco, PCO_SIDE)
        click.confirm("Erase them? This cannot be undone", abort=True)
    erasure = erase_on_request(person, "cli", in_pco)
    click.echo(f"Erased local person {person_id}. PCO: {erasure.record.pco_outcome}.")


def _show_plan(person, found, in_pco, pco_side):
    click.echo(f"Erasing {person.full_name} (local person {person.id}). Here:")
    for label, size in found.here:
        click.echo(f"  {label}: {size}")
    if found.pco_id and in_pco:
        click.echo(f"In PCO (person {found.pco_id}): {pco_side}")
    elif found.pco_id:
        click.echo(f"In PCO: nothing (person {found.pco_id} stays there, never pulled again).")
