"""The seeded generator: deterministic, realistic, and full of hard cases."""
import time
from collections import Counter

from pco_sandbox import create_sandbox_app
from pco_sandbox.dump import dump
from pco_sandbox.generator import generate
from pco_sandbox.store import SandboxStore

NOW = 1_780_000_000


def test_same_seed_same_data():
    first = dump(SandboxStore(generate(300, seed=5, now=NOW)))
    second = dump(SandboxStore(generate(300, seed=5, now=NOW)))
    other = dump(SandboxStore(generate(300, seed=6, now=NOW)))
    assert first == second
    assert first["people"] != other["people"]


def test_sizes_and_shapes():
    db = generate(1000, seed=2, now=NOW)
    assert len(db.people) == 1000
    for kind, most in (("emails", 3), ("phone_numbers", 3), ("addresses", 2)):
        per_person = Counter(c["person_id"] for c in db.contacts[kind].values())
        assert max(per_person.values()) <= most
        assert len(per_person) < 1000, f"some people have no {kind}"
    sizes = [len(db.household_members.ids(h)) for h in db.households.rows]
    assert min(sizes) >= 1 and max(sizes) <= 8
    for household in db.households.values():
        members = [m["person_id"] for m in db.members_of_household(household["id"])]
        assert household["primary_contact_id"] in members
    housed = {m["person_id"] for m in db.household_memberships.values()}
    assert 0.8 * 1000 < len(housed) < 1000, "most people, not all, live in a household"


def test_groups_have_leaders_and_members():
    db = generate(500, seed=3, now=NOW)
    assert len(db.groups) == 12
    assert sum(1 for g in db.groups.values() if g["archived_at"]) == 1
    for group in db.groups.values():
        roles = Counter(m["role"] for m in db.members_of_group(group["id"]))
        assert roles["leader"] >= 1 and roles["member"] >= 1


def test_times_are_in_the_past_and_ordered():
    db = generate(500, seed=4, now=NOW)
    rows = list(db.people.values()) + [c for kind in db.contacts.values() for c in kind.values()]
    assert all(row["created_at"] <= row["updated_at"] < NOW for row in rows)
    spread = {time.gmtime(row["updated_at"]).tm_year for row in rows}
    assert len(spread) >= 4


def test_hard_cases_present_at_small_sizes():
    db = generate(50, seed=9, now=NOW)
    people = db.people.rows
    assert len(db.hard_cases["shared_email"]) >= 3
    for pair in db.hard_cases["shared_email"]:
        emails = [{e["address"].strip().lower() for e in db.contacts_of("emails", pid)}
                  for pid in pair[:2]]
        assert emails[0] & emails[1]
        assert people[pair[0]]["first_name"] != people[pair[1]]["first_name"]
    twins = Counter((p["first_name"], p["last_name"], p["birthdate"]) for p in people.values()
                    if p["birthdate"])
    assert sum(1 for count in twins.values() if count >= 2) >= 3
    names = " ".join(p["name"] or "" for p in people.values())
    for word in ("José", "Zoë", "Nguyễn", "李"):
        assert word in names
    assert sum(1 for p in people.values() if not p["last_name"]) >= 3
    assert sum(1 for p in people.values() if not p["birthdate"]) >= 3
    messy = [e["address"] for e in db.contacts["emails"].values()
             if e["address"] != e["address"].strip() and e["address"] != e["address"].lower()]
    assert len(messy) >= 3


def test_app_exposes_the_store():
    app = create_sandbox_app({"SANDBOX_PEOPLE": 60, "SANDBOX_NOW": NOW})
    store = app.extensions["pco_sandbox"]
    assert isinstance(store, SandboxStore) and len(store.db.people) == 60
