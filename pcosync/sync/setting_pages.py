"""What the Custom fields and Note categories pages share: the setting columns they show and
how a saved form is answered (services/settings/sync_choices.py does the saving)."""
from flask import flash, redirect, url_for

from ..models import FieldSync
from ..services.settings.sync_choices import SETTING_NAMES

MAX_ERRORS_SHOWN = 5  # a tampered form's errors must not overflow the session cookie


def setting_columns():
    """The template's settings, in column order, and their names."""
    return {"settings": list(FieldSync), "setting_names": SETTING_NAMES}


def answer_saved(result, endpoint, more_ignored):
    """Flash what was refused (the first few; `more_ignored` says how many more, with {count})
    and what changed, then back to the page at `endpoint`."""
    for error in result.errors[:MAX_ERRORS_SHOWN]:
        flash(error, "error")
    if len(result.errors) > MAX_ERRORS_SHOWN:
        flash(more_ignored.format(count=len(result.errors) - MAX_ERRORS_SHOWN), "error")
    flash(result.summary(), "success" if result.changed else "info")
    return redirect(url_for(endpoint))
