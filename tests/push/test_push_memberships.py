"""Push Group Memberships against the sandbox."""
from datetime import datetime, timezone

from pcosync.models import Group
from pcosync.services.push.memberships import MembershipPusher
from pcosync.services.runs.lifecycle import Progress
from tests.factories import make_group, make_person
from tests.support import dump, fresh, issues, reset_stats, run, stats

JOINED = datetime(2025, 9, 14, 10, 30, tzinfo=timezone.utc)


def pco_group(server, position=0):
    return [g for g in dump(server)["groups"] if g["archived_at"] is None][position]


def local_group(name, pco_group_id, members):
    return make_group(name, "Local", pco_group_id, members, joined_at=JOINED)


def test_memberships_are_created_skipped_or_reported(sandbox, recorder):
    held = pco_group(sandbox)
    ruth = make_person("Ruth", "Push", emails=["ruth.push@example.org"])
    boaz = make_person("Boaz", "Push")
    run("Push People")
    already = make_person("Already", "There", birthdate=None,
                          pco_id=held["memberships"][0]["person_id"])
    stranger = make_person("Orpah", "Push")
    members = [(ruth, "leader"), (boaz, "member"), (already, "member"), (stranger, "member")]
    group = local_group("Choir", held["id"], members)
    local_group("Local only", None, [(ruth, "member")])
    reset_stats(sandbox)

    result = run("Push Group Memberships")

    assert result.status == "COMPLETED"
    # Ruth and Boaz created; "already" (PCO has it), Orpah (not in PCO) and the group
    # without a PCO id skipped.
    assert (result.created_count, result.skipped_count, result.failed_count) == (2, 3, 0)
    [issue] = issues(result)
    assert "Orpah Push" in issue.reason and "push People first" in issue.reason
    assert stats(sandbox)["by_route"] == {"GET /groups/v2/groups/<id>/memberships": 1,
                                          "POST /groups/v2/groups/<id>/memberships": 2}
    group = fresh(Group, group.id)
    by_person = {m.person.first_name: m for m in group.memberships}
    assert by_person["Already"].pco_membership_id == held["memberships"][0]["id"]
    assert by_person["Orpah"].pco_membership_id is None
    pushed = {m["person_id"]: m for m in pco_group(sandbox)["memberships"]}
    ruth = by_person["Ruth"]
    assert pushed[ruth.person.pco_id]["id"] == ruth.pco_membership_id
    assert pushed[ruth.person.pco_id]["role"] == "leader"
    assert pushed[ruth.person.pco_id]["joined_at"] == "2025-09-14T10:30:00Z"
    reset_stats(sandbox)
    again = run("Push Group Memberships")
    assert (again.created_count, again.skipped_count) == (0, 5)
    assert stats(sandbox)["total"] == 0


def test_already_a_member_answer_is_skipped_not_an_error(app, sandbox):
    from pcosync.services.connection import make_client
    from pcosync.services.runs.lifecycle import start_run

    held = pco_group(sandbox)
    member = make_person("Already", "There", birthdate=None,
                         pco_id=held["memberships"][0]["person_id"])
    group = local_group("Choir", held["id"], [(member, "member")])
    client = make_client(app)
    pusher = MembershipPusher(client, Progress(start_run("Push Group Memberships")))

    outcome = pusher._create(group, group.memberships[0])  # as if PCO gained it meanwhile

    client.close()
    assert outcome == "skipped"
