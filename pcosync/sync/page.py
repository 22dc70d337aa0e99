"""What the Sync page says about each button and the connection."""
from .. import config as settings

PULL_BUTTONS = (
    ("People", "Sync People", "People with their emails, phone numbers and addresses."),
    ("Families", "Sync Families", "Households and their members. Run after Sync People."),
    ("Groups", "Sync Groups",
     "Groups and memberships, under the \u201cPCO Groups\u201d department. Run last."),
    ("Full Sync", "Full Sync", "People, then Families, then Groups, in the right order."),
)
PUSH_BUTTONS = (
    ("Push People", "Push People",
     "Local people, with emails, phones and addresses, created or updated in PCO."),
    ("Push Families", "Push Families",
     "Families as PCO households (members added and removed), and the family address. "
     "Run after Push People."),
    ("Push Group Memberships", "Push Group Memberships",
     "Memberships of groups that came from PCO: new ones, role changes and removals. "
     "Run last."),
    ("Full Push", "Full Push", "People, then Families, then Group Memberships."),
)


def connection_facts(config):
    return {
        "app_id": bool(config.get("PCO_APP_ID")),
        "secret": bool(config.get("PCO_SECRET")),
        "webhook_secret": bool(settings.webhook_secrets(config)),
        "sandbox": settings.uses_sandbox(config),
        "api_url": config.get("PCO_API_URL"),
    }


def webhook_url(config, request):
    base = (config.get("PUBLIC_BASE_URL") or request.url_root).rstrip("/")
    return base + "/api/pco-webhook"
