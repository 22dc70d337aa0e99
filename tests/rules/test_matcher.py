from datetime import date

from pcosync.services.rules.matcher import PersonMatcher

from tests.factories import email_record, make_person, person_record


def match_one(record):
    return PersonMatcher([record]).match(record)


def test_pco_id_first(app):
    linked = make_person(pco_id="77", first_name="Someone", last_name="Else")
    make_person(emails=["ann@example.org"])  # an email match must not win over the id
    result = match_one(person_record("77", emails=[email_record("ann@example.org")]))
    assert (result.person.id, result.how) == (linked.id, "pco_id")


def test_email_case_and_spaces_do_not_matter(app):
    ann = make_person(emails=["Ann.Lee@Example.org"])
    result = match_one(person_record(emails=[email_record("  ann.lee@EXAMPLE.org ")]))
    assert (result.person.id, result.how) == (ann.id, "email")


def test_spouses_sharing_an_email_are_two_people(app):
    make_person(first_name="John", birthdate=date(1975, 1, 1), emails=["lees@example.org"])
    result = match_one(person_record(first_name="Mary", birthdate=date(1977, 2, 2),
                                     emails=[email_record("lees@example.org")]))
    assert result.person is None and result.how == "new" and result.duplicates == []


def test_shared_email_with_the_right_first_name_links(app):
    make_person(first_name="John", birthdate=date(1975, 1, 1), emails=["lees@example.org"])
    mary = make_person(first_name="Mary", birthdate=date(1977, 2, 2), emails=["lees@example.org"])
    result = match_one(person_record(first_name="mary", birthdate=None,
                                     emails=[email_record("lees@example.org")]))
    assert (result.person.id, result.how) == (mary.id, "email")


def test_email_of_an_already_linked_person_is_not_reused(app):
    make_person(pco_id="5", emails=["ann@example.org"])
    result = match_one(person_record("6", emails=[email_record("ann@example.org")],
                                     birthdate=None))
    assert result.person is None


def test_name_and_birthdate_accent_and_case_insensitive(app):
    zoe = make_person(first_name="Zoë", last_name="Ñúñez", birthdate=date(1990, 3, 4))
    result = match_one(person_record(first_name="ZOE", last_name="nunez",
                                     birthdate=date(1990, 3, 4)))
    assert (result.person.id, result.how) == (zoe.id, "name_birthdate")


def test_same_name_different_birthdate_is_new(app):
    make_person(birthdate=date(1980, 5, 1))
    assert match_one(person_record(birthdate=date(1981, 5, 1))).person is None


def test_name_without_birthdate_never_matches(app):
    make_person(birthdate=None)
    assert match_one(person_record(birthdate=None)).person is None


def test_two_candidates_is_ambiguous(app):
    a = make_person()
    b = make_person()
    result = match_one(person_record())
    assert result.person is None and result.duplicates == sorted([a.id, b.id])


def test_two_email_candidates_is_ambiguous(app):
    a = make_person(emails=["same@example.org"])
    b = make_person(emails=["same@example.org"])
    result = match_one(person_record(emails=[email_record("same@example.org")]))
    assert result.person is None and result.duplicates == sorted([a.id, b.id])


def test_a_local_person_is_claimed_once_per_page(app):
    make_person()
    first, second = person_record("1"), person_record("2")
    matcher = PersonMatcher([first, second])
    assert matcher.match(first).how == "name_birthdate"
    assert matcher.match(second).person is None


def test_archived_people_are_not_candidates(app):
    from pcosync.models import utcnow

    make_person(emails=["ann@example.org"], archived_at=utcnow())
    assert match_one(person_record(emails=[email_record("ann@example.org")])).person is None


def test_matching_a_page_costs_a_fixed_number_of_queries(app):
    from sqlalchemy import event

    from pcosync.extensions import db

    for i in range(30):
        make_person(first_name=f"P{i}", emails=[f"p{i}@example.org"])
    records = [person_record(first_name=f"P{i}", emails=[email_record(f"p{i}@example.org")])
               for i in range(30)]
    statements = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        matcher = PersonMatcher(records)
        results = [matcher.match(r) for r in records]
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert all(r.how == "email" for r in results)
    assert len(statements) <= 10


def test_twins_on_one_family_email_are_never_linked(app):
    make_person(first_name="Jacob", birthdate=date(2010, 1, 1), emails=["family@example.org"])
    result = match_one(person_record(first_name="Esau", birthdate=date(2010, 1, 1),
                                     emails=[email_record("family@example.org")]))
    assert result.person is None and result.duplicates == []


def test_a_variant_name_on_a_shared_email_is_asked_about_not_linked(app):
    sam = make_person(first_name="Sam", birthdate=None, emails=["lees@example.org"])
    result = match_one(person_record(first_name="Samantha", birthdate=None,
                                     emails=[email_record("lees@example.org")]))
    assert result.person is None and result.duplicates == [sam.id]


def test_a_pco_twin_of_a_linked_person_is_named_not_linked(app):
    ann = make_person(pco_id="5", emails=["ann@example.org"])
    result = match_one(person_record("6", emails=[email_record("ann@example.org")]))
    assert result.person is None and result.pco_twins == [ann.id]
