"""The page in PCO of a person, a family or a group: the "Open in PCO" links.

In the demo the sandbox is the PCO in use, and the real planningcenteronline.com would show
someone else's record, or nobody: the link then leads to the sandbox's own page for the record.
"""
from flask import current_app

from ...config import uses_sandbox
from ...models import Family, Group, Person

# Model: (the attribute holding its PCO id, the sandbox's page, the real PCO's page).
PAGES = {
    Person: ("pco_id", "/sandbox/people/{id}",
             "https://people.planningcenteronline.com/people/AC{id}"),
    Family: ("pco_household_id", "/sandbox/households/{id}",
             "https://people.planningcenteronline.com/households/{id}"),
    Group: ("pco_group_id", "/sandbox/groups/{id}",
            "https://groups.planningcenteronline.com/groups/{id}"),
}


def pco_page_url(record):
    """The record's page in PCO (or in the sandbox, when it is the PCO in use); None when the
    record is not in PCO."""
    id_attribute, sandbox_page, real_page = PAGES[type(record)]
    pco_id = getattr(record, id_attribute)
    if not pco_id:
        return None
    if uses_sandbox(current_app.config):
        api_url = current_app.config["PCO_API_URL"].rstrip("/")
        return api_url + sandbox_page.format(id=pco_id)
    return real_page.format(id=pco_id)
