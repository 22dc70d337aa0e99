"""Group attendance for the directory's pages: a group's meetings (newest first, with how many
attended) and a person's attendance lines, a page at a time."""
from sqlalchemy import case, func, select
from sqlalchemy.orm import joinedload

from ...extensions import db
from ...models import Attendance, GroupEvent
from .common import Page, page_number

ATTENDANCE_PAGE_SIZE = 10


def _page(query, order, raw_number):
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    pages = max(1, -(-total // ATTENDANCE_PAGE_SIZE))
    number = min(page_number(raw_number), pages)
    items = db.session.scalars(query.order_by(*order).limit(ATTENDANCE_PAGE_SIZE)
                               .offset((number - 1) * ATTENDANCE_PAGE_SIZE)).unique().all()
    return Page(items=items, number=number, size=ATTENDANCE_PAGE_SIZE, total=total)


def group_meetings(group, raw_number):
    """(a Page of the group's events, {event id: (attended, on the list)})."""
    page = _page(select(GroupEvent).where(GroupEvent.group_id == group.id),
                 (GroupEvent.starts_at.desc(), GroupEvent.id.desc()), raw_number)
    ids = [event.id for event in page.items]
    counts = {event_id: (attended or 0, listed) for event_id, attended, listed in
              db.session.execute(select(
                  Attendance.event_id, func.sum(case((Attendance.attended, 1), else_=0)),
                  func.count()).where(Attendance.event_id.in_(ids))
                  .group_by(Attendance.event_id))} if ids else {}
    return page, counts


def person_attendance(person, raw_number):
    """A Page of the person's attendance lines, newest meeting first."""
    query = (select(Attendance).join(Attendance.event).where(Attendance.person_id == person.id)
             .options(joinedload(Attendance.event).joinedload(GroupEvent.group)))
    return _page(query, (GroupEvent.starts_at.desc(), Attendance.id.desc()), raw_number)
