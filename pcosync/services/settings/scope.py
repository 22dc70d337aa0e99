"""The sync scope as the admin reads it: one plain sentence."""
from sqlalchemy import func, select

from ...extensions import db
from ...models import Person
from ..rules.scope import current_scope


def _names(items):
    names = [f"“{item}”" for item in items]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def sentence(scope=None):
    """'People in the PCO lists “Members” or “Regular attenders”, campus “North”, adults
    only; never sent to PCO: 12 people.'"""
    scope = current_scope() if scope is None else scope
    parts = []
    if scope is None or scope.pulls_everything:
        parts.append("Everyone in PCO")
    else:
        lists = [item["name"] for item in scope.pull_lists]
        parts.append(f"People in the PCO list{'s' if len(lists) > 1 else ''} {_names(lists)}"
                     if lists else "People in PCO")
        if scope.pull_campus_name:
            parts.append(f"campus “{scope.pull_campus_name}”")
        if scope.pull_membership:
            parts.append(f"membership “{scope.pull_membership}”")
        if scope.pull_adults_only:
            parts.append("adults only")
    held = db.session.scalar(select(func.count()).select_from(Person)
                             .where(Person.do_not_send_at.is_not(None)))
    return f"{', '.join(parts)}; never sent to PCO: {held} {'person' if held == 1 else 'people'}."
