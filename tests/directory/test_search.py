"""Search and paging of the people list: right answers, in order, without overlaps."""
import re

import pytest
from sqlalchemy import insert

from pcosync.extensions import db
from pcosync.models import Person
from pcosync.services.directory.people import find_people, list_people
from pcosync.services.directory.search import prefix_upper_bound
from tests.directory.helpers import count_statements, person_names, text_of
from tests.factories import make_person


@pytest.mark.parametrize("prefix, upper", [
    ("smi", "smj"), ("abz", "ac"), ("zz", None), ("509", "50a"), ("ann l", "ann m"),
    ("a.b@", "a.bA"), ("o'", "o("), ("", None),
])
def test_prefix_upper_bound(prefix, upper):
    assert prefix_upper_bound(prefix) == upper


@pytest.fixture
def people(app):
    make_person("Ann", "Lee", emails=["ann.lee@example.org"], phones=["503-555-0101"])
    make_person("Anna", "Smith", emails=["anna@work.example.com"], phones=["(971) 555-0199"])
    make_person("Zoë", "Müller", emails=["zoe@example.org"])
    make_person("Bob", "Annan", emails=["b_o_b@example.org"], phones=["+1 503 555 0177"])
    make_person("Carl", "McDonald", emails=["CARL@Example.org"])
    make_person("Dee", "smith")


def search(text):
    return [p.full_name for p in list_people(text).items]


@pytest.mark.parametrize("text, expected", [
    ("ann", ["Bob Annan", "Ann Lee", "Anna Smith"]),  # first names and a last name
    ("ANN L", ["Ann Lee"]),  # "first last", any case
    ("anna", ["Bob Annan", "Anna Smith"]),
    ("smith", ["Anna Smith", "Dee smith"]),  # last name, as capitalised or not
    ("Smi", ["Anna Smith", "Dee smith"]),
    ("zoe", ["Zoë Müller"]),  # accents do not matter in names
    ("Mü", ["Zoë Müller"]),
    ("carl mcd", ["Carl McDonald"]),
    ("McD", ["Carl McDonald"]),  # a surname's inner capital is typed as written
    ("nn", []),  # prefix, not substring
    ("ann.lee@example.org", ["Ann Lee"]),  # exact email
    ("  ANNA@work", ["Anna Smith"]),  # email prefix, any case
    ("carl@example.org", ["Carl McDonald"]),
    ("b_o_b@", ["Bob Annan"]),  # LIKE wildcards are literal
    ("b%", []),
    ("_", []),
    ("503", ["Bob Annan", "Ann Lee"]),  # phone digits prefix, with or without the +1
    ("503-555-01", ["Bob Annan", "Ann Lee"]),
    ("(971) 555", ["Anna Smith"]),
    ("1 503 555 0177", ["Bob Annan"]),
    ("+1503", ["Bob Annan"]),
    ("555", []),  # numbers match from their start
])
def test_search(people, text, expected):
    assert search(text) == expected


def test_search_leaves_out_archived_unless_asked(people):
    from pcosync.services.directory.people import archive_person

    ann = db.session.query(Person).filter_by(first_name="Ann").one()
    archive_person(ann)
    assert [p.full_name for p in list_people("ann").items] == ["Bob Annan", "Anna Smith"]
    assert [p.full_name for p in list_people("ann", archived=True).items] == ["Ann Lee"]


def test_find_people_for_pickers_excludes_given_ids(people):
    ann = db.session.query(Person).filter_by(first_name="Ann").one()
    assert [p.full_name for p in find_people("ann", exclude_ids={ann.id})] == [
        "Bob Annan", "Anna Smith"]
    assert find_people("") == []


def bulk_people(count):
    """Many people at once, the way the benchmark builds them."""
    rows = [{"first_name": f"P{n:03d}", "last_name": f"Family{n % 7}", "status": "active",
             "child": False, "search_name": f"p{n:03d} family{n % 7}"} for n in range(count)]
    db.session.execute(insert(Person), rows)
    db.session.commit()


def test_pages_cover_everyone_once_in_order(admin_client):
    bulk_people(123)
    seen = []
    for number in (1, 2, 3):
        response = admin_client.get(f"/directory/people/?page={number}")
        names = person_names(response)
        assert len(names) == (50 if number < 3 else 23)
        seen += names
    assert len(seen) == len(set(seen)) == 123
    keys = [tuple(name.split(", ")) for name in seen]
    assert keys == sorted(keys)
    assert person_names(admin_client.get("/directory/people/?page=3")) == seen[100:]
    page = text_of(admin_client.get("/directory/people/?page=2"))
    assert "Showing 51–100 of 123 people" in page and "Page 2 of 3" in page


def test_next_and_previous_links_page_by_key_through_everyone(admin_client):
    """Next and Previous carry the boundary row's sort key (keyset paging, so a middle page of
    50,000 costs what the first does); following them covers everyone once, both ways."""
    bulk_people(123)
    every = [n for number in (1, 2, 3)
             for n in person_names(admin_client.get(f"/directory/people/?page={number}"))]

    def follow(path, rel):
        html = admin_client.get(path).get_data(as_text=True)
        found = re.search(rf'rel="{rel}" href="([^"]+)"', html)
        return person_names(admin_client.get(path)), found and found.group(1).replace("&amp;", "&")

    seen, link, links = [], "/directory/people/", []
    while link:
        names, link = follow(link, "next")
        seen += names
        links.append(link)
    assert seen == every and "after=" in links[0] and "Page 3 of 3" in text_of(
        admin_client.get(links[1]))
    back, link = [], links[1]
    while link:
        names, link = follow(link, "prev")
        back = names + back
    assert back == every
    assert person_names(admin_client.get("/directory/people/?page=2&after=not-a-key")) == (
        every[50:100])  # a damaged link falls back to its page number


def test_keyset_links_page_through_people_without_a_name(admin_client):
    """A page boundary on a person with no last or first name (NULL or empty) still gives a
    keyset link, and following Next then Previous meets everyone once, in the list's order."""
    rows = [{"last_name": (None, "")[n % 2] if n < 110 else f"Zed{n}",
             "first_name": (None, "", "Ann")[n % 3], "status": "active", "child": False,
             "search_name": "x"} for n in range(123)]
    db.session.execute(insert(Person), rows)
    db.session.commit()
    from pcosync.services.directory.people import PEOPLE_ORDER

    everyone = db.session.scalars(db.select(Person.id).order_by(*PEOPLE_ORDER)).all()

    def follow(path, rel):
        html = admin_client.get(path).get_data(as_text=True)
        found = re.search(rf'rel="{rel}" href="([^"]+)"', html)
        ids = [int(i) for i in re.findall(r'href="/directory/people/(\d+)"', html)]
        return ids, found and found.group(1).replace("&amp;", "&")

    seen, link, links = [], "/directory/people/", []
    while link:
        ids, link = follow(link, "next")
        seen += ids
        links.append(link)
    assert seen == everyone and all("after=" in link for link in links[:-1])
    back, link = [], links[1]
    while link:
        ids, link = follow(link, "prev")
        assert link is None or "before=" in link
        back = ids + back
    assert back == everyone


def test_odd_page_numbers_are_safe(admin_client):
    bulk_people(60)
    assert "Page 1 of 2" in text_of(admin_client.get("/directory/people/?page=abc"))
    assert "Page 1 of 2" in text_of(admin_client.get("/directory/people/?page=-4"))
    assert "Page 2 of 2" in text_of(admin_client.get("/directory/people/?page=9999"))


def test_pager_links_keep_the_search(admin_client):
    bulk_people(140)
    assert "20 people matching “family3”" in text_of(admin_client.get(
        "/directory/people/?q=family3&archived="))
    html = admin_client.get("/directory/people/?q=p0").get_data(as_text=True)
    next_link = re.search(r'rel="next" href="([^"]+)"', html).group(1)
    assert "q=p0" in next_link and "page=2" in next_link
    assert len(person_names(admin_client.get(next_link.replace("&amp;", "&")))) == 50


def test_list_queries_do_not_grow_with_the_page(admin_client, app):
    bulk_people(50)
    statements = count_statements(lambda: admin_client.get("/directory/people/"))
    assert statements <= 8, statements


def test_no_results_message(admin_client, people):
    assert "No one matches “xyz”" in text_of(admin_client.get("/directory/people/?q=xyz"))


def test_pages_read_backwards_match_the_forward_order_with_ties_and_missing_names(app):
    """Pages past the middle are read from the index's other end: same order, on both
    databases, even where names tie or are missing (NULLs sort differently per database)."""
    rows = [{"first_name": None if n % 9 == 0 else "Same", "status": "active", "child": False,
             "last_name": None if n % 5 == 0 else f"L{n % 3}", "search_name": "x"}
            for n in range(131)]
    db.session.execute(insert(Person), rows)
    db.session.commit()
    from pcosync.services.directory.people import PEOPLE_ORDER

    everyone = db.session.scalars(db.select(Person.id).order_by(*PEOPLE_ORDER)).all()
    paged = [p.id for number in (1, 2, 3) for p in list_people(page=number).items]
    assert paged == everyone
