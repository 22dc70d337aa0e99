"""Push to PCO: People, then Families, then Group Memberships (Full Push runs all three).

Each operation takes (client, progress) like the pulls do; the run machinery (one run at a
time, checkpoints, cancel, heartbeat) is shared with them in services.execute.
"""
from ...models import RunKind
from .families import push_families
from .memberships import push_memberships
from .people import push_people

PUSHERS = {
    RunKind.PUSH_PEOPLE: push_people,
    RunKind.PUSH_FAMILIES: push_families,
    RunKind.PUSH_MEMBERSHIPS: push_memberships,
}
