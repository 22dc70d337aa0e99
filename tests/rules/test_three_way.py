"""The three-way merge's decisions, on plain values (the integration tests drive it through
the real pull and webhooks)."""
import pytest

from pcosync.services.rules.three_way import (
    DELETED_HERE, DELETED_IN_PCO, KEEP_LOCAL, TAKE_PCO, merge_fields, merge_value, plan_contacts,
)


@pytest.mark.parametrize("base,local,remote,expected", [
    ("Ann", "Ann", "Anne", (TAKE_PCO, False)),  # changed only in PCO
    ("Ann", "Anne", "Ann", (KEEP_LOCAL, False)),  # changed only here: the push sends it
    ("Ann", "Anne", "Anne", (KEEP_LOCAL, False)),  # both, alike: nothing to do
    ("Ann", "Anna", "Anne", (TAKE_PCO, True)),  # both, differently: PCO wins, and ask
    (None, "Ann", "Ann", (KEEP_LOCAL, False)),
])
def test_merge_value(base, local, remote, expected):
    assert merge_value(base, local, remote) == expected


def test_merge_fields_takes_pco_changes_and_keeps_local_edits():
    base = {"first_name": "Ann", "birthdate": "1980-01-01", "nickname": None}
    local = {"first_name": "Anne", "birthdate": "1980-01-01", "nickname": "Annie"}
    remote = {"first_name": "Ann", "birthdate": "1981-01-01", "nickname": "Nan"}
    take, conflicts = merge_fields(list(base), base, local, remote)
    assert take == ["birthdate", "nickname"]
    assert [(c.field, c.local, c.remote) for c in conflicts] == [("nickname", "Annie", "Nan")]


def row(number, location="Mobile"):
    return {"number": number, "location": location, "is_primary": True}


def test_contacts_merge_field_by_field_and_by_pco_id():
    base = {"1": row("111"), "2": row("222"), "3": row("333"), "4": row("444")}
    local = {"1": row("111", "Work"), "2": row("222"), "3": row("333-edited")}  # 4 deleted here
    remote = {"1": row("111-pco"), "3": row("333"), "4": row("444"), "5": row("555")}  # 2 gone
    plan = plan_contacts("phone_numbers", base, local, remote)
    assert plan.update == {"1": {"number": "111-pco"}}  # location kept: changed only here
    assert plan.add == ["5"]  # new in PCO; 4 stays deleted (unchanged in PCO: the push deletes)
    assert plan.remove == ["2"]  # deleted in PCO, unchanged here
    assert plan.conflicts == []


def test_deleted_on_one_side_and_edited_on_the_other_is_a_conflict():
    base = {"1": row("111"), "2": row("222")}
    local = {"1": row("111-edited")}  # 2 deleted here
    remote = {"2": row("222-pco")}  # 1 deleted in PCO
    plan = plan_contacts("phone_numbers", base, local, remote)
    assert plan.remove == ["1"] and plan.add == ["2"]
    changes = {c.pco_id: (c.change, c.values) for c in plan.conflicts}
    assert changes == {"1": (DELETED_IN_PCO, row("111-edited")), "2": (DELETED_HERE, row("222"))}


def test_an_incomplete_pco_list_deletes_nothing():
    plan = plan_contacts("emails", {"1": row("1")}, {"1": row("1")}, {}, complete=False)
    assert (plan.remove, plan.conflicts) == ([], [])
