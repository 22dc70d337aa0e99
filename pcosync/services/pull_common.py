"""Small pieces every pull path shares."""
from marshmallow import ValidationError
from sqlalchemy import select

from ..extensions import db
from ..models import Person


def load_records(page_records, loader, record_type, progress):
    """Turn a page's resources into plain dicts; a malformed one becomes a SyncIssue."""
    loaded = []
    for resource in page_records:
        try:
            loaded.append(loader(resource))
        except ValidationError as err:
            pco_id = resource.get("id") if isinstance(resource, dict) else None
            progress.issue(record_type, str(err),
                           pco_id=str(pco_id)[:40] if pco_id is not None else None, failed=True)
    return loaded


def people_by_pco_id(pco_ids, *options):
    """Local people (archived ones too) by PCO id, in one query (plus one per loader option)."""
    wanted = {i for i in pco_ids if i}
    if not wanted:
        return {}
    query = select(Person).where(Person.pco_id.in_(wanted)).options(*options)
    return {p.pco_id: p for p in db.session.scalars(query)}
