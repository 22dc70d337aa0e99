"""Small things the directory views share."""
from flask import abort, flash, redirect, render_template, request

from ..services.directory.common import DirectoryError, page_number, set_role
from .forms import CONTROL_CHARACTERS

# A failed form comes back with its messages and this status, so tests and tools can tell a
# refused submission from a shown page.
INVALID = 422
MAX_SEARCH_LENGTH = 200


def found_or_404(value):
    if value is None:
        abort(404)
    return value


def render_form(template, form, **context):
    status = INVALID if form.errors else 200
    return render_template(template, form=form, **context), status


def search_text():
    """The search box, without control characters: PostgreSQL refuses a NUL in a query."""
    text = CONTROL_CHARACTERS.sub("", request.args.get("q", ""))
    return text.strip()[:MAX_SEARCH_LENGTH]


def requested_page():
    return page_number(request.args.get("page"))


def first_error(form):
    """One line for a flash message, for the small forms that live inside a list."""
    for field in form:
        if field.errors:
            return f"{field.label.text}: {field.errors[0]}"
    return "The form could not be read; try again."


def add_member(form, add, owner, describe):
    """The add-a-member form of a family or a group: validate, add, flash what happened."""
    if not form.validate():
        flash(first_error(form), "error")
        return
    try:
        person = add(owner, form.person_id.data, form.role.data)
    except DirectoryError as error:
        flash(str(error), "error")
    else:
        flash(describe(person), "success")


def save_role(link, form, back, saved):
    """A member's or membership's role from its small form; `saved(role)`: what to say."""
    if form.validate():
        set_role(link, form.role.data)
        flash(saved(form.role.data), "success")
    else:
        flash(first_error(form), "error")
    return redirect(back)


def removed(link, remove, where, in_pco_too):
    """Remove a member or membership here (`remove()` says whether PCO still holds it); then
    say so, and `in_pco_too` when the next push removes it there."""
    message = f"{link.person.full_name} was removed from {where}."
    if remove():
        message += " " + in_pco_too
    flash(message, "success")


def history_of(owner, owner_id):
    """The template values of a page's history section (`?history_page=N`); sensitive fields'
    changes only for holders of PEOPLE_SENSITIVE."""
    from flask_login import current_user

    from ..models import PCO_MANAGE, PEOPLE_SENSITIVE
    from ..services.history import views
    from . import history_words

    number = page_number(request.args.get("history_page"))
    return {"history": views.page_of(owner, owner_id, number,
                                     show_sensitive=current_user.can(PEOPLE_SENSITIVE)),
            "history_words": history_words, "may_undo": current_user.can(PCO_MANAGE)}


def without_sensitive_fields(form):
    """The form without the sensitive fields, for a user who may not see them: they are then
    neither shown nor written."""
    from flask_login import current_user

    from ..models import PEOPLE_SENSITIVE

    if not current_user.can(PEOPLE_SENSITIVE):
        del form.medical_notes
    return form
