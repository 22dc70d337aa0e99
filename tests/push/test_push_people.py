"""Push People against the sandbox over HTTP."""
from pcosync.models import Person
from tests.push.conftest import dump, make_person, pco_person, reload, reset_stats, run, stats


def test_new_people_are_created_in_pco_with_their_contact_points(sandbox, recorder):
    ruth = make_person(emails=["ruth.push@example.org"], phones=["(555) 201-0001"],
                       addresses=[{"street_line_1": "1 Elm St", "city": "Salem", "state": "OR",
                                   "zip": "97301"}], middle_name="Ann", membership="Member")
    before = dump(sandbox)["counts"]["people"]
    reset_stats(sandbox)
    result = run("Push People")
    assert (result.status, result.created_count, result.failed_count) == ("COMPLETED", 1, 0)
    ruth = reload(Person, ruth.id)
    assert ruth.pco_id and ruth.emails[0].pco_id and ruth.phone_numbers[0].pco_id
    held = pco_person(sandbox, ruth.pco_id)
    assert (held["first_name"], held["middle_name"], held["birthdate"]) == (
        "Ruth", "Ann", "1984-03-09")
    assert [e["address"] for e in held["emails"]] == ["ruth.push@example.org"]
    assert held["addresses"][0]["city"] == "Salem"
    assert dump(sandbox)["counts"]["people"] == before + 1
    assert stats(sandbox)["total"] == 5, stats(sandbox)["by_route"]
