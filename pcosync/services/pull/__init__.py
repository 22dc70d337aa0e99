"""Pull from PCO: People, then Families, then Groups; and Quick Sync, the changes since its
cursors. Work is committed page by page, so a crash loses at most a page and a re-run
converges."""
from ...models import RunKind
from .families import pull_families
from .groups import pull_groups
from .people import pull_people
from .quick import quick_sync

PULLERS = {RunKind.PEOPLE: pull_people, RunKind.FAMILIES: pull_families,
           RunKind.GROUPS: pull_groups, RunKind.QUICK_SYNC: quick_sync}
