"""Pull from PCO: People, then Families, then Groups. Work is committed page by page, so a
crash loses at most a page and a re-run converges."""
from ...models import RunKind
from .families import pull_families
from .groups import pull_groups
from .people import pull_people

PULLERS = {RunKind.PEOPLE: pull_people, RunKind.FAMILIES: pull_families,
           RunKind.GROUPS: pull_groups}
