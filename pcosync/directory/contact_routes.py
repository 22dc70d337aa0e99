"""A person's emails, phone numbers and addresses: one page of plain forms (no JavaScript)."""
from flask import flash, redirect, render_template, request, url_for

from ..auth.permissions import permission_required
from ..models import PEOPLE_MANAGE
from ..services.directory import contacts
from ..services.directory import people as people_service
from . import bp
from .forms import CONTACT_FORMS, keep_current_choice
from .helpers import INVALID, found_or_404

KIND = "<any(emails, phones, addresses):kind>"


def edit_form(kind, contact, formdata=None):
    """The form for an existing contact point; its prefix keeps the page's forms apart."""
    form = CONTACT_FORMS[kind](formdata=formdata, obj=contact, prefix=f"{kind}-{contact.id}")
    keep_current_choice(form.location, contact.location)
    return form


def new_form(kind, formdata=None):
    return CONTACT_FORMS[kind](formdata=formdata, prefix=f"new-{kind}")


def contact_sections(person, failed=None):
    """{kind: {"existing": [(contact, form)], "new": form}}; `failed` is (kind, contact or None,
    form): that submitted form replaces the fresh one so its messages show where it was."""
    sections = {}
    for kind in CONTACT_FORMS:
        rows = [(c, edit_form(kind, c)) for c in contacts.KINDS[kind].items(person)]
        sections[kind] = {"existing": rows, "new": new_form(kind)}
    if failed:
        kind, contact, form = failed
        if contact is None:
            sections[kind]["new"] = form
        else:
            sections[kind]["existing"] = [(c, form if c is contact else f)
                                          for c, f in sections[kind]["existing"]]
    return sections


def render_contacts(person, failed=None):
    status = INVALID if failed else 200
    return render_template("directory/contacts.html", person=person, kinds=contacts.KINDS,
                           sections=contact_sections(person, failed)), status


def back_to(person, kind):
    return redirect(url_for(".person_contacts", person_id=person.id, _anchor=kind))


@bp.route("/people/<int:person_id>/contacts")
@permission_required(PEOPLE_MANAGE)
def person_contacts(person_id):
    return render_contacts(found_or_404(people_service.load_person(person_id)))


@bp.route(f"/people/<int:person_id>/{KIND}/new", methods=["POST"])
@permission_required(PEOPLE_MANAGE)
def add_contact(person_id, kind):
    person = found_or_404(people_service.load_person(person_id))
    return save_contact(person, kind, None, new_form(kind, formdata=request.form), "added")


@bp.route(f"/people/<int:person_id>/{KIND}/<int:contact_id>", methods=["POST"])
@permission_required(PEOPLE_MANAGE)
def update_contact(person_id, kind, contact_id):
    person = found_or_404(people_service.load_person(person_id))
    contact = found_or_404(contacts.find_contact(person, kind, contact_id))
    return save_contact(person, kind, contact, edit_form(kind, contact, formdata=request.form),
                        "saved")


def save_contact(person, kind, contact, form, done):
    """Add (`contact` None) or update a contact point from its form; a refused form is shown
    again with its messages."""
    if not form.validate():
        return render_contacts(person, failed=(kind, contact, form))
    if contact is None:
        contacts.add_contact(person, kind, form.data)
    else:
        contacts.update_contact(person, kind, contact, form.data)
    flash(f"The {contacts.KINDS[kind].label} was {done}.", "success")
    return back_to(person, kind)


@bp.route(f"/people/<int:person_id>/{KIND}/<int:contact_id>/remove", methods=["POST"])
@permission_required(PEOPLE_MANAGE)
def remove_contact(person_id, kind, contact_id):
    person = found_or_404(people_service.load_person(person_id))
    contact = found_or_404(contacts.find_contact(person, kind, contact_id))
    held_by_pco = contacts.remove_contact(person, kind, contact)
    message = f"The {contacts.KINDS[kind].label} was removed here."
    if held_by_pco:
        message += " The next Push People removes it from PCO too."
    flash(message, "success")
    return back_to(person, kind)
