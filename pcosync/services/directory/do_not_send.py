"""Do not send to PCO: a person so marked is never written to PCO by any path (rules/scope.py
asks); who marked them and when are kept. Marking writes nothing to PCO and removes nothing
there: a person already in PCO simply stops being updated."""
import re

from sqlalchemy import select

from ...extensions import db
from ...models import Person, utcnow

AT_MOST = 500  # people changed by one bulk action (a page of the directory is far fewer)


def set_do_not_send(person_ids, held, who):
    """Mark (held=True) or unmark the people with these ids; returns how many changed."""
    ids = [int(i) for i in person_ids if re.fullmatch(r"[0-9]{1,9}", str(i))][:AT_MOST]
    if not ids:
        return 0
    people = db.session.scalars(select(Person).where(Person.id.in_(ids)))
    changed = 0
    for person in people:
        if person.do_not_send == held:
            continue
        person.do_not_send_at, person.do_not_send_by = ((utcnow(), who[:200]) if held
                                                        else (None, None))
        changed += 1
    db.session.commit()
    return changed
