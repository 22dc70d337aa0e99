"""Plain records shaped like pcosync.pco.schemas output, and local rows, for unit tests."""
from datetime import date, datetime, timezone
from itertools import count

from pcosync.extensions import db
from pcosync.models import Email, Person, PhoneNumber
from pcosync.models.keys import email_key, name_key, phone_digits

_ids = count(1000)


def when(day, hour=12):
    return datetime(2026, 1, day, hour, tzinfo=timezone.utc)


def email_record(address, pco_id=None, primary=True, location="Home"):
    return {"pco_id": pco_id or str(next(_ids)), "address": address, "location": location,
            "is_primary": primary, "pco_updated_at": when(1)}


def phone_record(number, pco_id=None, primary=True, location="Mobile"):
    return {"pco_id": pco_id or str(next(_ids)), "number": number, "location": location,
            "is_primary": primary, "pco_updated_at": when(1)}


def person_record(pco_id=None, first_name="Ann", last_name="Lee", birthdate=date(1980, 5, 1),
                  emails=(), phones=(), addresses=(), updated=None, **extra):
    record = {
        "pco_id": pco_id or str(next(_ids)), "first_name": first_name, "middle_name": None,
        "last_name": last_name, "nickname": None, "gender": None, "birthdate": birthdate,
        "status": "active", "membership": None, "child": False,
        "pco_updated_at": updated or when(2), "emails": list(emails),
        "phone_numbers": list(phones), "addresses": list(addresses), "contacts_included": True,
    }
    record.update(extra)
    return record


def local_person(first_name="Ann", last_name="Lee", birthdate=date(1980, 5, 1), emails=(),
                 phones=(), pco_id=None, **extra):
    person = Person(first_name=first_name, last_name=last_name, birthdate=birthdate,
                    pco_id=pco_id, search_name=name_key(first_name, last_name), **extra)
    for address in emails:
        person.emails.append(Email(address=address, normalized=email_key(address),
                                   location="Home", is_primary=True))
    for number in phones:
        person.phone_numbers.append(PhoneNumber(number=number, digits=phone_digits(number)))
    db.session.add(person)
    db.session.commit()
    return person
