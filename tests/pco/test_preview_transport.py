"""A preview client (PCOClient(preview=True)): reads are sent, writes are recorded and answered
by the client itself, so the code that pushes goes on as in a real run."""
import pytest

from pcosync.pco import schemas
from pcosync.pco.contact_kinds import EMAILS
from tests.pco.helpers import BASE, error, ok, person


@pytest.fixture
def preview(make_client):
    return make_client(preview=True)


def test_reads_are_sent(preview, requests_mock):
    requests_mock.get(f"{BASE}/people/v2/people/1", **ok({"data": person(1)}))
    assert preview.get_person(1)["id"] == "1"
    assert requests_mock.call_count == 1


def test_a_post_is_recorded_not_sent_and_answered_with_a_preview_id(preview, requests_mock):
    created = preview.create_person({"first_name": "Ruth", "last_name": "New"})
    email = preview.create_contact(created["id"], "emails", "Email",
                                   {"address": "ruth@example.org", "primary": True})

    assert requests_mock.call_count == 0  # nothing reached PCO
    record = schemas.load_person(created)
    assert (record["pco_id"], record["first_name"]) == ("preview-1", "Ruth")
    assert record["pco_updated_at"] is not None
    assert EMAILS.load(email)["pco_id"] == "preview-2"
    writes = preview.would_be_writes()
    assert writes["total"] == 2 and writes["by_kind"] == {"POST Email": 1, "POST Person": 1}
    assert writes["first"][1] == {
        "method": "POST", "path": "/people/v2/people/preview-1/emails", "type": "Email",
        "attributes": {"address": "ruth@example.org", "primary": True}, "relationships": {}}


def test_a_patch_lays_the_attributes_over_what_pco_holds(preview, requests_mock):
    requests_mock.get(f"{BASE}/people/v2/people/7", **ok({"data": person(7, nickname=None)}))
    patch = requests_mock.patch(f"{BASE}/people/v2/people/7", **ok({"data": person(7)}))

    record = schemas.load_person(preview.update_person(7, {"nickname": "Annie"}))

    assert not patch.called
    assert (record["pco_id"], record["first_name"], record["nickname"]) == ("7", "Ann", "Annie")


def test_a_patch_of_what_pco_cannot_read_echoes_the_attributes(preview, requests_mock):
    requests_mock.get(f"{BASE}/people/v2/emails/9", **error(404))
    answer = preview.update_contact("emails", "Email", 9, {"address": "new@example.org"})
    assert EMAILS.load(answer)["address"] == "new@example.org"
    # A resource made in this preview is not even asked for.
    preview.update_person("preview-3", {"nickname": "Annie"})
    assert requests_mock.call_count == 1


def test_a_delete_is_recorded_and_answers_nothing(preview, requests_mock):
    assert preview.delete_group_membership(4, 12) is None
    assert requests_mock.call_count == 0
    assert preview.would_be_writes()["by_kind"] == {"DELETE memberships": 1}


def test_a_household_answer_keeps_its_members(preview):
    household = schemas.load_household(preview.create_household("Lee Household", [1, 2], 1))
    assert household["member_pco_ids"] == ["1", "2"]
    assert household["primary_contact_pco_id"] == "1"
    first = preview.would_be_writes()["first"][0]
    assert first["relationships"] == {"people": ["1", "2"], "primary_contact": "1"}


def test_an_ordinary_client_has_no_preview(make_client):
    client = make_client()
    assert not client.preview and client.would_be_writes() is None
