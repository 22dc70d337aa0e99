"""The PCO organization this app syncs with: webhook deliveries from any other organization
are refused. PCO_ORGANIZATION_ID pins it; otherwise every successful Test Connection (the Sync
page's button or `flask pco test-connection`) records the organization the credentials reach.
Before either, it is unknown and a delivery is accepted on its signature alone: learning it
from the first delivery instead would let one stray delivery shut out every right one."""
import logging

from sqlalchemy import delete, select

from ...extensions import db
from ...models import ConnectedOrganization
from .short_cache import cached

log = logging.getLogger("pcosync.webhooks")


def remember(organization):
    """Record {"pco_id", "name"} as the connected organization (replacing any other)."""
    pco_id, name = str(organization["pco_id"]), organization["name"][:200]
    row = db.session.scalar(select(ConnectedOrganization).where(
        ConnectedOrganization.pco_id == pco_id))
    others = db.session.execute(delete(ConnectedOrganization).where(
        ConnectedOrganization.pco_id != pco_id))
    if others.rowcount:
        log.warning("the PCO credentials now reach organization %s (%s): deliveries from the "
                    "organization recorded before are refused from now on", pco_id, name)
    row = row or ConnectedOrganization(pco_id=pco_id)
    row.name = name
    db.session.add(row)
    db.session.commit()


def connected_id(config):
    """The organization id deliveries must carry, or None when it is not known yet (read at
    most every few seconds: every delivery asks)."""
    if config.get("PCO_ORGANIZATION_ID"):
        return str(config["PCO_ORGANIZATION_ID"]).strip()
    return cached("connected organization", lambda: db.session.scalar(
        select(ConnectedOrganization.pco_id).limit(1)))


def delivery_refusal(organization_id, config):
    """Why a delivery of `organization_id` must be refused, or None when it may be recorded."""
    expected = connected_id(config)
    if expected is None or str(organization_id) == expected:
        return None
    if organization_id is None:
        return f"the delivery names no organization (expected {expected})"
    return f"the delivery is for organization {organization_id}, not {expected}"
