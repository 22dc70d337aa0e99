"""Families: list, page, create, edit name and address, members, roles, primary member."""
from pcosync.extensions import db
from pcosync.models import Address, Family, FamilyMember, Person
from pcosync.services.directory.people import archive_person
from tests.directory.helpers import count_statements, post, text_of
from tests.factories import make_family, make_person
from tests.support import fresh


def family_url(family, rest=""):
    return f"/directory/families/{family.id}{rest}"


def test_families_list_is_paged_with_counts(admin_client):
    ann = make_person()
    for n in range(52):
        make_family(f"Family {n:02d}", [ann] if n == 0 else [])
    page = text_of(admin_client.get("/directory/families/"))
    assert "Showing 1–50 of 52 families" in page and "Page 1 of 2" in page
    assert "Family 00 Ann Lee Ann Lee" in page  # its members, then its primary member
    page2 = text_of(admin_client.get("/directory/families/?page=2"))
    assert "Family 50" in page2 and "Family 51" in page2 and "Family 49" not in page2


def test_households_of_one_name_are_told_apart_by_search(admin_client):
    """Three "Clark Household"s: found by the family name, a member's name or the street, and
    each row names its members and address."""
    homes = [("Ann", "Elm Street"), ("Bob", "Oak Avenue"), ("Cy", "Pine Road")]
    for first, street in homes:
        make_family("Clark Household", [make_person(first, "Clark")],
                    address={"street_line_1": f"1 {street}", "city": "Salem"})
    make_family("Lee family", [make_person("Ann", "Lee")])
    every = text_of(admin_client.get("/directory/families/?q=clark"))
    assert "3 families matching “clark”" in every and "Lee family" not in every
    assert "Clark Household Ann Clark Ann Clark 1 Elm Street" in every
    for query, street in (("bob clark", "Oak Avenue"), ("Cy", "Pine Road"), ("pine", "Pine Road")):
        found = text_of(admin_client.get(f"/directory/families/?q={query}"))
        assert f"1 family matching “{query}”" in found and street in found, query
    assert "No family matches “zzz”" in text_of(admin_client.get("/directory/families/?q=zzz"))


def test_create_family_then_add_a_member_found_by_search(admin_client):
    ann = make_person("Ann", "Lee", emails=["ann@example.org"])
    assert admin_client.get("/directory/families/new").status_code == 200
    response = post(admin_client, "/directory/families/new", {"name": "Lee household"})
    assert response.status_code == 302
    family = db.session.query(Family).one()
    assert family.pco_household_id is None
    page = admin_client.get(family_url(family, "?q=lee"))
    html = page.get_data(as_text=True)
    assert f'name="person_id" value="{ann.id}"' in html and "ann@example.org" in html
    response = post(admin_client, family_url(family, "/members"),
                    {"person_id": ann.id, "role": "adult"})
    assert response.status_code == 302
    family = fresh(Family, family.id)
    assert [(m.person_id, m.role) for m in family.members] == [(ann.id, "adult")]
    assert family.primary_member_id == ann.id  # the first member is the primary one
    page = text_of(admin_client.get(family_url(family)))
    assert "Ann Lee was added to the family." in page and "Members (1)" in page


def test_search_leaves_out_members_and_archived_people(admin_client):
    ann, bob, cat = make_person("Ann", "Lee"), make_person("Bob", "Lee"), make_person("Cat", "Lee")
    archive_person(cat)
    family = make_family("Lee", [ann])
    html = admin_client.get(family_url(family, "?q=lee")).get_data(as_text=True)
    assert f'name="person_id" value="{bob.id}"' in html
    assert f'name="person_id" value="{ann.id}"' not in html
    assert f'name="person_id" value="{cat.id}"' not in html


def test_create_family_requires_a_name(admin_client):
    response = post(admin_client, "/directory/families/new", {"name": "  "})
    assert response.status_code == 422 and "Enter the family name." in text_of(response)
    response = post(admin_client, "/directory/families/new", {"name": "x" * 201})
    assert "Field cannot be longer than 200 characters." in text_of(response)
    assert db.session.query(Family).count() == 0


def test_adding_twice_or_an_unknown_person_is_refused(admin_client):
    ann = make_person()
    family = make_family("Lee", [ann])
    response = post(admin_client, family_url(family, "/members"),
                    {"person_id": ann.id, "role": "adult"})
    assert "Ann Lee is already a member of this family." in text_of(
        admin_client.get(response.headers["Location"]))
    post(admin_client, family_url(family, "/members"), {"person_id": 99999, "role": "adult"})
    post(admin_client, family_url(family, "/members"), {"person_id": ann.id, "role": "boss"})
    assert db.session.query(FamilyMember).count() == 1


def test_set_role_make_primary_and_remove(admin_client):
    ann, bob = make_person("Ann", "Lee"), make_person("Bob", "Lee")
    family = make_family("Lee", [ann, bob])
    ann_member, bob_member = family.members
    response = post(admin_client, family_url(family, f"/members/{bob_member.id}/role"),
                    {f"member-{bob_member.id}-role": "child"})
    assert response.status_code == 302
    assert fresh(FamilyMember, bob_member.id).role == "child"
    post(admin_client, family_url(family, f"/members/{bob_member.id}/primary"))
    assert fresh(Family, family.id).primary_member_id == bob.id
    page = text_of(admin_client.get(family_url(family)))
    assert "Primary member Bob Lee" in page
    post(admin_client, family_url(family, f"/members/{bob_member.id}/remove"))
    family = fresh(Family, family.id)
    assert [m.person_id for m in family.members] == [ann.id]
    assert family.primary_member_id is None
    assert fresh(Person, bob.id) is not None  # removing a member never deletes the person


def test_member_of_another_family_is_404(admin_client):
    ann = make_person()
    family, other = make_family("Lee", [ann]), make_family("Other")
    member = family.members[0]
    assert post(admin_client, family_url(other, f"/members/{member.id}/remove")).status_code \
        == 404
    assert fresh(FamilyMember, member.id) is not None


def test_edit_name_and_address(admin_client):
    family = make_family("Lee")
    assert 'value="Lee"' in admin_client.get(family_url(family, "/edit")).get_data(as_text=True)
    response = post(admin_client, family_url(family, "/edit"),
                    {"name": "The Lees", "street_line_1": "1 Main St", "city": "Portland",
                     "zip": "97201"})
    assert response.status_code == 302
    family = fresh(Family, family.id)
    assert family.name == "The Lees"
    assert (family.address.one_line(), family.address.person_id) == (
        "1 Main St, Portland, 97201", None)
    assert "1 Main St, Portland, 97201" in text_of(admin_client.get(family_url(family)))
    post(admin_client, family_url(family, "/edit"), {"name": "The Lees", "city": ""})
    assert fresh(Family, family.id).address is None
    assert db.session.query(Address).count() == 0


def test_edit_address_needs_a_street(admin_client):
    family = make_family("Lee")
    response = post(admin_client, family_url(family, "/edit"), {"name": "Lee", "city": "Salem"})
    assert response.status_code == 422
    assert "Enter the street, or clear every address field." in text_of(response)
    assert fresh(Family, family.id).address is None


def test_family_page_shows_the_pco_household(admin_client):
    family = make_family("Lee")
    family.pco_household_id = "H-42"
    db.session.commit()
    assert "H-42" in text_of(admin_client.get(family_url(family)))


def test_family_and_person_pages_cost_the_same_for_one_member_or_ten(admin_client):
    people = [make_person(f"P{n}", "Lee", emails=[f"p{n}@example.org"]) for n in range(10)]
    make_person("Zed", "Other", emails=["zed@example.org"])  # found by the picker on both pages
    small, large = make_family("Small", people[:1]), make_family("Large", people)
    pairs = [(family_url(small, "?q=zed"), family_url(large, "?q=zed")),
             (f"/directory/people/{people[0].id}", f"/directory/people/{people[1].id}")]
    for pair in pairs:
        costs = [count_statements(lambda path=path: admin_client.get(path)) for path in pair]
        assert costs[0] == costs[1], (pair, costs)
