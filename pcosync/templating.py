"""Template helpers: the sidebar and formatting of dates and durations."""
from datetime import datetime, timezone

from babel import dates
from flask import current_app
from flask_login import current_user

from .models import PCO_MANAGE, PEOPLE_MANAGE, FieldSync, FieldType, GroupRole, PersonStatus
from .services import labels
from .services.directory.pco_pages import pco_page_url
from .services.runs import outcome as run_outcome

# (section, label, endpoint, permission): the sidebar shows an entry only to users who hold it.
NAV = (
    ("Directory", "People", "directory.people", PEOPLE_MANAGE),
    ("Directory", "Families", "directory.families", PEOPLE_MANAGE),
    ("Directory", "Groups", "directory.groups", PEOPLE_MANAGE),
    ("Configuration", "PCO Sync", "sync.index", PCO_MANAGE),
    ("Configuration", "Review queue", "sync.review", PCO_MANAGE),
    ("Configuration", "Custom fields", "sync.custom_fields", PCO_MANAGE),
    ("Configuration", "Note categories", "sync.note_categories", PCO_MANAGE),
)


def sidebar(app):
    """Sections and entries the current user may see (only endpoints that exist)."""
    if not current_user.is_authenticated:
        return []
    sections = {}
    for section, label, endpoint, permission in NAV:
        if endpoint in app.view_functions and current_user.can(permission):
            sections.setdefault(section, []).append((label, endpoint))
    return list(sections.items())


def format_datetime(value):
    """A moment in the church's time zone, written as its locale writes it, with the zone
    ("Jan 2, 2026, 12:00 PM CST"); a naive value is UTC, as the database keeps them."""
    if not value:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    local = value.astimezone(_zone())
    locale = _locale()
    # The zone's abbreviation too: an admin reading on a phone elsewhere knows which clock.
    return (f"{dates.format_date(local, 'medium', locale=locale)}, "
            f"{dates.format_time(local, 'short', locale=locale)} {local.tzname()}")


def format_date(value):
    """A day as the locale writes it ("Oct 21, 1992"); a datetime's day in the church's zone."""
    if not value:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(_zone())
    return dates.format_date(value, "medium", locale=_locale())


def _zone():
    """The church's time zone; UTC while TIMEZONE names none (the Sync page says so)."""
    try:
        return dates.get_timezone(current_app.config.get("TIMEZONE") or "UTC")
    except LookupError:
        return timezone.utc


def _locale():
    return current_app.config.get("LOCALE") or "en_US"


def format_duration(seconds):
    if seconds is None:
        return ""
    seconds = int(round(seconds))
    minutes, secs = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return f"{hours}h {minutes}m"
    return f"{minutes}m {secs}s" if minutes else f"{secs}s"


def register(app):
    app.jinja_env.filters["datetime"] = format_datetime
    app.jinja_env.filters["date"] = format_date
    app.jinja_env.filters["field_label"] = labels.field_label
    app.jinja_env.filters["record_title"] = labels.record_title
    app.jinja_env.filters["shown_value"] = labels.shown_value
    app.jinja_env.filters["duration"] = format_duration
    app.jinja_env.filters["run_outcome"] = run_outcome.sentence
    # The vocabularies, so a template names a value as the code does.
    app.jinja_env.globals.update(FieldSync=FieldSync, FieldType=FieldType, GroupRole=GroupRole,
                                 PersonStatus=PersonStatus)
    app.jinja_env.globals["pco_page_url"] = pco_page_url  # "Open in PCO", or in the sandbox

    @app.context_processor
    def inject_sidebar():
        return {"sidebar": lambda: sidebar(app)}
