"""What each webhook event does locally, a module per resource: people, mergers, contacts
(emails, phone numbers, addresses), households, groups (groups and memberships) and custom
fields; their shared helpers in common.py. events.py says which handler serves which event. A
handler takes (client, payload, log), returns a short outcome note and never commits.

Payload first: PCO's created and updated deliveries carry the whole record (a person's every
attribute and `updated_at`, a contact point with its person, a household with its people and
primary contact, a membership with its group and person), and the record is applied as it is,
with the pull's matcher, merge rules (rules/merge.apply_person, the three-way merge) and stale
check: a payload older than the version held is not applied. Destroyed deliveries carry ids
and relationships only: a person or household is archived, a contact point or membership
removed (a contact point edited here since the last sync becomes a conflict for review).

A person's payload carries no contact points (their own events bring them: the agreed state
keeps the rows it holds) and, of the choices, only `primary_campus`: the others (marital
status, inactive reason, name prefix and suffix, school) keep the values held until the next
Quick Sync reads that person. PCO is read (reads.py: one request, after the batch's commit)
only when the payload lacks what the rules need:
- a person event for someone not linked here: the matcher needs their emails;
- a contact point event whose person is not linked here;
- an update stamped with the `updated_at` held but saying something else (two edits in one
  second: which is newer cannot be told), or a payload missing attributes;
- a campus or option the person names that is unknown here (that option alone);
- a group not known here (with its type, location and tags), and a membership whose group or
  person is not here (groups.py).
Deliveries of one record waiting together are coalesced first (batch.py): such a read is made
once for all of them.
"""
