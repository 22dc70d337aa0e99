"""People written by plain ORM code (another module of the platform, a script, an import) carry
the derived keys the models keep, so the next pull matches them instead of duplicating them."""
from datetime import date

from sqlalchemy import func, select

from pcosync.extensions import db
from pcosync.models import Email, Person, PhoneNumber
from tests.support import dump, fresh, run


def pco_people_with(sandbox, has_email):
    return [p for p in dump(sandbox)["people"] if p["first_name"] and p["last_name"]
            and p["birthdate"] and bool(p["emails"]) == has_email]


def written_by_a_script(first_name, last_name, birthdate, email=None):
    """No service, no directory: the columns a script would set, nothing derived."""
    person = Person(first_name=first_name, last_name=last_name, birthdate=birthdate)
    if email:
        person.emails.append(Email(address=email, is_primary=True))
    db.session.add(person)
    db.session.commit()
    return person


def test_keys_are_kept_by_the_models_on_insert_and_update(app):
    person = written_by_a_script(" Zoë ", "Ng", date(1990, 1, 1), email=" Zoe@Example.ORG ")
    person.phone_numbers.append(PhoneNumber(number="(503) 555-0100"))
    db.session.commit()
    person = fresh(Person, person.id)
    assert (person.search_name, person.emails[0].normalized, person.phone_numbers[0].digits) == (
        "zoe ng", "zoe@example.org", "5035550100")
    person.last_name, person.emails[0].address = "Lee", "zoe.lee@example.org"
    db.session.commit()
    person = fresh(Person, person.id)
    assert (person.search_name, person.emails[0].normalized) == ("zoe lee", "zoe.lee@example.org")


def test_a_pull_matches_them_by_email_and_by_name_and_birthdate(sandbox):
    by_email = pco_people_with(sandbox, has_email=True)[0]
    by_name = pco_people_with(sandbox, has_email=False)[0]
    emailed = written_by_a_script(by_email["first_name"], by_email["last_name"],
                                  date.fromisoformat(by_email["birthdate"]),
                                  email=by_email["emails"][0]["address"].upper())
    named = written_by_a_script(by_name["first_name"].upper(), by_name["last_name"],
                                date.fromisoformat(by_name["birthdate"]))

    run("People")

    assert fresh(Person, emailed.id).pco_id == by_email["id"]
    assert fresh(Person, named.id).pco_id == by_name["id"]
    people = db.session.scalar(select(func.count()).select_from(Person))
    assert people == dump(sandbox)["counts"]["people"]  # no duplicate of either
