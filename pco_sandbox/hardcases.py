"""The records that break naive syncs, planted at the start of every generated data set.

Each entry is a household (`household: False` = people who live alone, in no household).
The generator fills in whatever is not given (timestamps, phones, addresses) from its
seeded RNG, so the cases are the same for every seed and the rest still varies.
"""


def _person(first, last, birthdate=None, gender=None, emails=(), child=False):
    return {"first_name": first, "last_name": last, "birthdate": birthdate,
            "gender": gender, "emails": list(emails), "child": child}


HARD_CASE_HOUSEHOLDS = (
    # Spouses who share one email: matching by email alone would merge them.
    {"case": "shared_email", "people": [
        _person("Michael", "Johnson", "1978-04-02", "Male", ["johnsonfamily@example.com"]),
        _person("Sarah", "Johnson", "1980-09-17", "Female", ["johnsonfamily@example.com"]),
    ]},
    {"case": "shared_email", "people": [
        _person("David", "Garcia", "1969-12-01", "Male", ["garcias@example.net"]),
        _person("Maria", "Garcia", None, "Female", ["garcias@example.net"]),
        _person("Lucas", "Garcia", "2012-06-30", "Male", child=True),
    ]},
    {"case": "shared_email", "people": [
        _person("Chris", "Lee", None, "Male", ["theleefamily@example.org"]),
        _person("Pat", "Lee", "1985-02-14", "Female", ["TheLeeFamily@example.org"]),
    ]},
    # Same first + last name and birthdate, different people (no shared contact data).
    {"case": "same_name_birthdate", "household": False, "people": [
        _person("John", "Smith", "1980-05-12", "Male", ["jsmith.builder@example.com"]),
    ]},
    {"case": "same_name_birthdate", "household": False, "people": [
        _person("John", "Smith", "1980-05-12", "Male", ["john.smith.1980@example.net"]),
    ]},
    {"case": "same_name_birthdate", "people": [
        _person("Mary", "Brown", "1975-03-03", "Female"),
    ]},
    {"case": "same_name_birthdate", "household": False, "people": [
        _person("Mary", "Brown", "1975-03-03", "Female"),
    ]},
    {"case": "same_name_birthdate", "people": [
        _person("James", "Williams", "1990-11-30", "Male", ["jw90@example.org"]),
    ]},
    {"case": "same_name_birthdate", "people": [
        _person("James", "Williams", "1990-11-30", "Male"),
    ]},
    # Accents and non-Latin scripts.
    {"case": "unicode", "people": [
        _person("José", "Hernández", "1982-07-19", "Male", ["jose.hernandez@example.com"]),
        _person("Zoë", "Hernández", "1984-01-08", "Female", ["zoe.h@example.com"]),
    ]},
    {"case": "unicode", "people": [
        _person("An", "Nguyễn", "1991-10-10", "Male", ["an.nguyen@example.net"]),
    ]},
    {"case": "unicode", "people": [
        _person("伟", "李", "1988-08-08", "Male", ["li.wei@example.org"]),
        _person("秀英", "王", None, "Female"),
    ]},
    {"case": "unicode", "household": False, "people": [
        _person("Björn", "Ødegård", None, "Male", ["bjorn@example.com"]),
    ]},
    {"case": "unicode", "household": False, "people": [
        _person("Françoise", "Lefèvre-Dupont", "1959-04-21", "Female"),
    ]},
    # No last name (PCO needs only one of first/last), and one without a first name.
    {"case": "missing_last_name", "household": False, "people": [
        _person("Grace", None, None, "Female", ["grace.only@example.com"]),
    ]},
    {"case": "missing_last_name", "household": False, "people": [_person("Malik", None)]},
    {"case": "missing_last_name", "people": [_person("Abigail", "", "2001-09-09", "Female")]},
    {"case": "missing_first_name", "household": False, "people": [_person(None, "Okafor")]},
    # No birthdate at all.
    {"case": "missing_birthdate", "people": [
        _person("Ruth", "Bennett", None, "Female", ["ruth.bennett@example.net"]),
        _person("Samuel", "Bennett", None, "Male"),
    ]},
    {"case": "missing_birthdate", "household": False, "people": [_person("Tyler", "Ross")]},
    # Emails typed with mixed case and stray spaces.
    {"case": "messy_email", "people": [
        _person("Peter", "Parker", "1995-08-10", "Male", ["  Peter.Parker@Example.COM "]),
    ]},
    {"case": "messy_email", "household": False, "people": [
        _person("Anna", "Kowalski", None, "Female", [" ANNA.Kowalski@Example.org"]),
    ]},
    {"case": "messy_email", "people": [
        _person("Tom", "Baker", "1970-02-28", "Male", ["Tom.Baker@EXAMPLE.NET  "]),
    ]},
)
