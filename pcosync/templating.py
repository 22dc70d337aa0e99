"""Template helpers: the sidebar and formatting of dates and durations."""
from flask_login import current_user

from .models import PCO_MANAGE, PEOPLE_MANAGE, FieldSync, FieldType, GroupRole, PersonStatus
from .services import labels

# (section, label, endpoint, permission): the sidebar shows an entry only to users who hold it.
NAV = (
    ("Directory", "People", "directory.people", PEOPLE_MANAGE),
    ("Directory", "Families", "directory.families", PEOPLE_MANAGE),
    ("Directory", "Groups", "directory.groups", PEOPLE_MANAGE),
    ("Configuration", "PCO Sync", "sync.index", PCO_MANAGE),
    ("Configuration", "Review queue", "sync.review", PCO_MANAGE),
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
    return value.strftime("%Y-%m-%d %H:%M:%S UTC") if value else ""


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
    app.jinja_env.filters["field_label"] = labels.field_label
    app.jinja_env.filters["record_title"] = labels.record_title
    app.jinja_env.filters["shown_value"] = labels.shown_value
    app.jinja_env.filters["duration"] = format_duration
    # The vocabularies, so a template names a value as the code does.
    app.jinja_env.globals.update(FieldSync=FieldSync, FieldType=FieldType, GroupRole=GroupRole,
                                 PersonStatus=PersonStatus)

    @app.context_processor
    def inject_sidebar():
        return {"sidebar": lambda: sidebar(app)}
