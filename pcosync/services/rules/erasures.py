"""Erased people stay gone: every path that could bring one back asks here first.

An erasure (models/privacy.py, made by services/privacy) keeps the PCO id of the person erased
on request. A pull page, a Quick Sync, a webhook, the push's look-up in PCO and the review
queue skip that PCO id and say why (a log line, the delivery's note), without any personal data.
"""
import logging

from sqlalchemy import literal, null, select, union_all

from ...extensions import db
from ...models import Outcome, Person, PersonErasure
from ...models.queries import one_of

log = logging.getLogger("pcosync.privacy")
ERASED = "erased here on request: never brought back"


def erased_pco_ids(pco_ids):
    """Those of `pco_ids` that belong to an erased person."""
    wanted = {str(pco_id) for pco_id in pco_ids if pco_id}
    if not wanted:
        return set()
    return set(db.session.scalars(select(PersonErasure.pco_id).where(
        PersonErasure.pco_id.in_(wanted))))


def is_erased(pco_id):
    return bool(erased_pco_ids([pco_id]))


def all_erased_pco_ids():
    """Every erased PCO id (erasures are rare: a webhook batch reads them once)."""
    return set(db.session.scalars(select(PersonErasure.pco_id).where(
        PersonErasure.pco_id.is_not(None))))


def without_erased(records, erased, progress, what="Person"):
    """`records` (loaded PCO people) minus the erased ones (`erased`: their PCO ids, from
    linked_and_erased), each counted Skipped and logged."""
    if not erased:
        return records
    for pco_id in sorted(erased):
        log.info("skipped %s pco_id=%s: %s", what, pco_id, ERASED)
    progress.count(Outcome.SKIPPED, sum(1 for r in records if r["pco_id"] in erased))
    return [record for record in records if record["pco_id"] not in erased]


def linked_and_erased(pco_ids):
    """For a page of PCO people, in one query: the local people linked to them (PCO id, the
    stamp, hash and version last synced), by PCO id, and those of `pco_ids` erased here."""
    wanted = sorted({str(pco_id) for pco_id in pco_ids if pco_id})
    if not wanted:
        return {}, set()
    linked = select(Person.pco_id, Person.pco_updated_at, Person.pco_synced_hash,
                    Person.pco_version_stamp, literal(False).label("erased")).where(
        one_of(Person.pco_id, wanted))
    erased = select(PersonErasure.pco_id, null(), null(), null(), literal(True)).where(
        one_of(PersonErasure.pco_id, wanted))
    rows = db.session.execute(union_all(linked, erased)).all()
    return ({row.pco_id: row for row in rows if not row.erased},
            {row.pco_id for row in rows if row.erased})


class ErasedSkip(str):
    """A webhook handler's outcome for a delivery about an erased person: the delivery ends
    ignored with this note, and its body (the person's data PCO sent) is not kept."""


def skipped_note(pco_id):
    log.info("skipped delivery about pco_id=%s: %s", pco_id, ERASED)
    return ErasedSkip(f"skipped: PCO person {pco_id} was {ERASED}")
