"""The one name rule: agree, near, different (rules/names)."""
from datetime import date

import pytest

from pcosync.services.rules.names import (
    Equivalences, NameMatch, Names, church_equivalences, compare, on_shared_contact,
)
from pcosync.services.settings import name_equivalences

BORN = date(1980, 5, 1)
AGREE, NEAR, DIFFERENT = NameMatch.AGREE, NameMatch.NEAR, NameMatch.DIFFERENT


@pytest.mark.parametrize("a, b, expected", [
    (("Zoë", "Ñúñez", BORN), ("ZOE ", " nunez", BORN), AGREE),  # case, accents, spacing
    (("Ann", "García-López", BORN), ("Ann", "garcia lopez", BORN), AGREE),
    (("William", "Baker", BORN), ("Bill", "Baker", BORN), NEAR),  # a known nickname
    (("Steven", "Baker", BORN), ("Stephen", "Baker", BORN), NEAR),  # two spellings
    (("Ann", "Johnson", BORN), ("Ann", "Jonhson", BORN), NEAR),  # a surname typo
    (("Ann", "García", BORN), ("Ann", "García López", BORN), NEAR),  # compound surname
    (("Ann", "Lee", BORN), ("Ann", "Lee", None), NEAR),  # no birthdate to agree on
    (("Ann", "Lee", BORN), ("Ann", "Lee", date(2005, 5, 1)), DIFFERENT),  # Sr and Jr
    (("Jacob", "Smith", BORN), ("Esau", "Smith", BORN), DIFFERENT),  # twins
    (("Joan", "Smith", BORN), ("Josephine", "Smith", BORN), DIFFERENT),  # share only "Jo"
    (("Mary", "Smith", None), ("John", "Smith", None), DIFFERENT),  # spouses
])
def test_graded_outcomes(a, b, expected):
    assert compare(Names(a[0], a[1], birthdate=a[2]), Names(b[0], b[1], birthdate=b[2])).outcome \
        is expected


def test_a_shared_contact_vouches_for_a_missing_birthdate_never_for_a_variant():
    same_name = compare(Names("Ann", "Lee", birthdate=BORN), Names("Ann", "Lee"))
    variant = compare(Names("Sam", "Lee"), Names("Samantha", "Lee"))
    assert on_shared_contact(same_name) is AGREE
    assert on_shared_contact(variant) is NEAR  # parent and daughter on one email: a human
    assert on_shared_contact(compare(Names("John", "Lee"), Names("Joan", "Lee"))) is NEAR


def test_a_nickname_field_counts_as_the_same_first_name():
    assert compare(Names("William", "Lee", "Bill", BORN), Names("Bill", "Lee", birthdate=BORN)) \
        .outcome is AGREE


def test_the_churchs_equivalences_count_as_the_same_name():
    equivalences = Equivalences()
    equivalences.add("first", "José", "Pepe")
    equivalences.add("last", "García López", "García")
    a, b = Names("José", "García López", birthdate=BORN), Names("pepe", "Garcia", birthdate=BORN)
    assert compare(a, b).outcome is DIFFERENT
    assert compare(a, b, equivalences).outcome is AGREE


def test_equivalences_added_on_the_settings_page_reach_the_rule(app):
    row, refused = name_equivalences.add("first", "José", " pepe ", "admin@example.org")
    assert refused is None and (row.name, row.other_name) == ("jose", "pepe")
    assert name_equivalences.add("first", "Pepe", "JOSE", "x")[1]  # the same pair, refused
    assert name_equivalences.add("first", "Zoë", "zoe", "x")[1]  # already one name
    a, b = Names("Jose", "Ruiz", birthdate=BORN), Names("Pepe", "Ruiz", birthdate=BORN)
    assert compare(a, b, church_equivalences()).outcome is AGREE
