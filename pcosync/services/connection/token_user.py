"""What the PCO token can see: the PCO user it acts as (GET /people/v2/me) and whether that
user can see every People profile. PCO's People permission (`people_permissions`) is None for
no access, or "Viewer", "Editor" or "Manager"; an organization administrator sees everyone.
A token that cannot see everyone reads part of the church: a Full Sync then archives no one
(missing from what it sees is not gone from PCO), and the Sync page says so.

Asked at each Test Connection and kept on the connected organization's row, so a sync spends
no request on it."""
from sqlalchemy import select

from ...extensions import db
from ...models import ConnectedOrganization
from ...pco.errors import PCOError

SEES_EVERYONE = ("Viewer", "Editor", "Manager")


def ask(client):
    """The token's user, or the PCOError that kept PCO from saying (Test Connection still
    reports the organization)."""
    try:
        return client.token_user()
    except PCOError as err:
        return err


def sees_everyone(user):
    return bool(user["site_administrator"]) or user["people_permissions"] in SEES_EVERYONE


def remember(user):
    """Record the token's user on the connected organization's row (made by the same Test
    Connection)."""
    row = db.session.scalar(select(ConnectedOrganization).limit(1))
    if row is None:
        return
    row.token_user_name = (user["name"] or "")[:200]
    row.token_people_permissions = (user["people_permissions"] or None)
    row.token_sees_everyone = sees_everyone(user)
    db.session.commit()


def known():
    """{"name", "permissions", "sees_everyone"} from the last Test Connection, or None."""
    row = db.session.scalar(select(ConnectedOrganization).limit(1))
    if row is None or row.token_sees_everyone is None:
        return None
    return {"name": row.token_user_name, "permissions": row.token_people_permissions,
            "sees_everyone": row.token_sees_everyone}


def may_archive():
    """False when the last Test Connection found a token that cannot see every profile."""
    found = known()
    return found is None or found["sees_everyone"]


def describe(user):
    """One sentence for the admin."""
    if sees_everyone(user):
        return f"The token acts as {user['name']}, who can see every People profile."
    level = user["people_permissions"] or "no People access"
    return (f"The token acts as {user['name']} ({level}), who cannot see every People "
            "profile: a sync reads only part of the church and archives no one. Give that "
            "user Viewer, Editor or Manager access in PCO People, or use another user's token.")
