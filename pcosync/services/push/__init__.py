"""Push to PCO: People, then Families, then Group Memberships (Full Push runs all three).

Each operation takes (client, progress) like the pulls do; the run machinery (one run at a
time, checkpoints, cancel, heartbeat) is shared with them in services.execute.
"""
from .families import push_families
from .memberships import push_memberships
from .people import push_people

PUSHERS = {
    "Push People": push_people,
    "Push Families": push_families,
    "Push Group Memberships": push_memberships,
}
