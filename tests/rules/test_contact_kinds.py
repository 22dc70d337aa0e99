"""Contact kinds in two halves: the wire half (pco/contact_kinds.py) and the rules half that
extends it name the same kinds in the same order, and every list of kinds reads one of them."""
import dataclasses

from pcosync.directory.forms import CONTACT_FORMS
from pcosync.pco import contact_kinds as wire
from pcosync.pco.client import PERSON_INCLUDES
from pcosync.services.directory import contacts
from pcosync.services.pull import cursors, quick
from pcosync.services.rules import contact_kinds as rules
from pcosync.services.webhooks import payloads


def test_the_two_halves_name_the_same_kinds():
    assert [kind.name for kind in rules.CONTACT_KINDS] == [kind.name for kind in wire.WIRE_KINDS]
    for local, remote in zip(rules.CONTACT_KINDS, wire.WIRE_KINDS):
        assert isinstance(local, wire.WireKind)
        for field in dataclasses.fields(remote):
            assert getattr(local, field.name) is getattr(remote, field.name), field.name


def test_the_fields_that_sync_are_read_and_written_by_pco():
    for kind in rules.CONTACT_KINDS:
        assert set(kind.fields) <= set(kind.attributes.fields), kind.name
        assert set(kind.fields) <= set(kind.write.fields), kind.name


def test_every_list_of_kinds_reads_the_registry():
    names = [kind.name for kind in wire.WIRE_KINDS]
    assert PERSON_INCLUDES[:len(names)] == tuple(names)
    assert list(quick.CONTACTS) == names and [r for r in cursors.RESOURCES if r in names] == names
    assert set(payloads.CONTACT_KEYS) == {kind.pco_type for kind in wire.WIRE_KINDS}
    segments = [kind.segment for kind in rules.CONTACT_KINDS]
    assert list(contacts.KINDS) == segments and list(CONTACT_FORMS) == segments


def test_a_kind_round_trips_through_its_wire_half():
    resource = {"type": "PhoneNumber", "id": "7",
                "attributes": {"number": "555 0100", "location": "Mobile", "primary": True},
                "relationships": {"person": {"data": {"type": "Person", "id": "3"}}}}
    values = rules.BY_PCO_TYPE["PhoneNumber"].load(resource)
    assert values["pco_id"] == "7" and values["person_pco_id"] == "3" and values["is_primary"]
    assert rules.PHONE_NUMBERS.dump(rules.PHONE_NUMBERS.values(
        rules.PHONE_NUMBERS.model(number="555 0100", location="Mobile", is_primary=True))) == {
        "number": "555 0100", "location": "Mobile", "primary": True}
