"""A catch-up step before a run: Push People first runs a Quick Sync when the pull scope is
all of PCO (docs/design.md §4, "Push looks before it creates"). People added in PCO since the
last pull are then matched here by the pull's own rules (or held as local duplicates) for a
few requests, instead of being searched for one new person at a time.

Skipped when nothing would use it: no one to create in PCO, a scope narrower than all of PCO
(a Quick Sync reads every changed person, in the scope or not), or no pull yet (a Quick Sync
without a cursor would read the whole of PCO; the searches are cheaper then).
"""
from ..pull import cursors
from ..push.people import people_to_create_count
from ..rules.scope import current_scope
from . import kinds


def catch_up_needed(kind):
    """Whether `kind` (a Kind) runs its catch-up step first, now."""
    if kind.catch_up is None or kind.value != kinds.PUSH_PEOPLE:
        return False
    scope = current_scope()
    if scope is not None and not scope.pulls_everything:
        return False
    return bool(pulled_before() and people_to_create_count())


def pulled_before():
    return (cursors.position("people") is not None
            or cursors.last_completed_start(kinds.PEOPLE) is not None)
