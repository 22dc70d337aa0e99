"""Seeded data generator: a realistic church at any size, deterministic for (seed, now).

Fast on purpose (50,000 people in a few seconds): it writes straight into a `Database`
with no validation or events. Every timestamp lies before `now`, which defaults to the
current hour so that two runs in the same hour produce identical data.
"""
import random
import re
import time
import unicodedata

from . import attendance_data, custom_field_data, namebank, note_data, profile_data, records
from .hardcases import HARD_CASE_HOUSEHOLDS
from .store import ORGANIZATION
from .tables import Database

SIX_YEARS = 6 * 365 * 86400
HOUSEHOLD_SIZES = (1, 2, 3, 4, 5, 6, 7, 8)
HOUSEHOLD_SIZE_WEIGHTS = (22, 30, 16, 16, 8, 4, 2, 2)
LONER_SHARE = 0.08  # people in no household at all
EMAIL_LOCATIONS = ("Home", "Work", "Other")
PHONE_LOCATIONS = ("Mobile", "Home", "Work")


def generate(people=200, seed=1, now=None, imported=0):
    """Return a filled Database with `people` persons, households, groups, custom fields
    and hard cases. `imported`: that many of them share one created_at (a crowded second)."""
    now = int(now if now is not None else time.time() // 3600 * 3600)
    builder = _Builder(random.Random(seed), now, profile_data.rng_for(seed))
    for spec in HARD_CASE_HOUSEHOLDS:
        if builder.count + len(spec["people"]) > people:
            break
        builder.add_hard_case(spec)
    while builder.count < people:
        builder.add_random_unit(people - builder.count)
    builder.add_groups()
    import_in_one_second(builder.db, imported, now)
    custom_field_data.fill(builder.db, seed, now, ORGANIZATION)
    note_data.fill(builder.db, seed, now)
    attendance_data.fill(builder.db, seed, now)
    return builder.db


def import_in_one_second(db, count, now):
    """A CSV import in PCO stamps hundreds of people with the same created_at (to the
    second): the first `count` people get one stamp, a month before `now`."""
    stamp = now - 30 * 86400
    for person_id in sorted(db.people.rows)[:count]:
        person = db.people.rows[person_id]
        person["created_at"] = stamp
        person["updated_at"] = max(person["updated_at"], stamp)


def ascii_slug(text):
    plain = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", plain.lower())


class _Builder:
    def __init__(self, rng, now, profile_rng):
        self.rng = rng
        self.profile_rng = profile_rng  # profile fields draw from their own stream
        self.now = now
        self.db = Database()
        self.db.hard_cases = {}
        self.count = 0
        profile_data.fill_lists(self.db, now)

    # -- timestamps -------------------------------------------------------------------

    def _created(self, after=None):
        """A creation time in the past; never later than a minute before `now`."""
        latest = self.now - 60
        if after is None:
            return latest - self.rng.randint(3600, SIX_YEARS)
        return min(latest, after + self.rng.randint(0, 86400))

    def _updated(self, created):
        return created + int(self.rng.random() * (self.now - 60 - created))

    # -- people -----------------------------------------------------------------------

    def add_hard_case(self, spec):
        in_household = spec.get("household", True)
        address = self._street_address() if in_household else None
        members = [self._add_person(dict(person), address) for person in spec["people"]]
        self.db.hard_cases.setdefault(spec["case"], []).append([p["id"] for p in members])
        if in_household:
            self._add_household(members)

    def add_random_unit(self, room):
        if self.rng.random() < LONER_SHARE:
            self._add_person(self._random_person(self.rng.choice(namebank.LAST_NAMES)),
                             self._street_address())
            return
        size = min(room, self.rng.choices(HOUSEHOLD_SIZES, HOUSEHOLD_SIZE_WEIGHTS)[0])
        last_name = self.rng.choice(namebank.LAST_NAMES)
        address = self._street_address()
        members = []
        for position in range(size):
            child = position >= 2 or (position == 1 and size > 2 and self.rng.random() < 0.15)
            members.append(self._add_person(self._random_person(last_name, child), address))
        self._add_household(members)

    def _random_person(self, last_name, child=False):
        rng = self.rng
        gender = "Male" if rng.random() < 0.5 else "Female"
        names = namebank.MALE_FIRST_NAMES if gender == "Male" else namebank.FEMALE_FIRST_NAMES
        if not child and rng.random() < 0.1:
            last_name = rng.choice(namebank.LAST_NAMES)  # kept their own name
        years = (2009, 2023) if child else (1940, 2004)
        birthdate = None if rng.random() < 0.15 else "%04d-%02d-%02d" % (
            rng.randint(*years), rng.randint(1, 12), rng.randint(1, 28))
        return {
            "first_name": rng.choice(names), "last_name": last_name, "gender": gender,
            "birthdate": birthdate, "child": child,
            "middle_name": rng.choice(namebank.MIDDLE_NAMES) if rng.random() < 0.2 else None,
            "membership": rng.choice(namebank.MEMBERSHIPS), "emails": None,
        }

    def _add_person(self, spec, home_address):
        created = self._created()
        person = {key: spec.get(key) for key in (
            "first_name", "last_name", "gender", "birthdate", "child", "middle_name",
            "membership")}
        person.update(
            name=records.full_name(spec.get("first_name"), spec.get("last_name")),
            child=bool(spec.get("child")), status="active", inactivated_at=None,
            created_at=created, updated_at=self._updated(created))
        if self.rng.random() < 0.04:
            person.update(status="inactive", inactivated_at=person["updated_at"])
        self.db.add_person(person)
        profile_data.fill_person(self.profile_rng, self.db, person, self.now)
        self.count += 1
        self._add_contacts(person, spec.get("emails"), home_address)
        return person

    # -- contact points ---------------------------------------------------------------

    def _add_contacts(self, person, fixed_emails, home_address):
        child = person["child"]
        emails = fixed_emails if fixed_emails is not None else self._email_addresses(person)
        for position, address in enumerate(emails):
            self._add_contact("emails", person, {
                "address": address, "location": EMAIL_LOCATIONS[position % 3],
                "primary": position == 0, "blocked": False})
        phone_count = self.rng.choices((0, 1, 2, 3), (85, 15, 0, 0) if child else (15, 50, 30, 5))
        for position in range(phone_count[0]):
            number = "%s-555-%04d" % (self.rng.choice(namebank.AREA_CODES),
                                      self.rng.randint(0, 9999))
            self._add_contact("phone_numbers", person, dict(
                records.phone_parts(number), number=number, carrier=None,
                location=PHONE_LOCATIONS[position], primary=position == 0))
        for position, address in enumerate(self._postal_addresses(child, home_address)):
            self._add_contact("addresses", person, dict(address, primary=position == 0))

    def _email_addresses(self, person):
        weights = (80, 20, 0, 0) if person["child"] else (12, 60, 23, 5)
        count = self.rng.choices((0, 1, 2, 3), weights)[0]
        first = ascii_slug(person["first_name"]) or "member"
        last = ascii_slug(person["last_name"])
        number = person["id"] % 100_000
        domains = namebank.EMAIL_DOMAINS
        forms = (f"{first}.{last}{number}@{self.rng.choice(domains)}",
                 f"{first[:1]}{last}{number}@work.example.com",
                 f"{first}{number}@{self.rng.choice(domains)}")
        return list(forms[:count])

    def _postal_addresses(self, child, home_address):
        found = []
        if home_address and self.rng.random() < (0.3 if child else 0.85):
            found.append(home_address)
        if not child and self.rng.random() < 0.08:
            found.append(dict(self._street_address(), location="Work"))
        return found

    def _street_address(self):
        rng = self.rng
        city, state, zip_prefix = rng.choice(namebank.CITIES)
        return {
            "street_line_1": "%d %s %s" % (rng.randint(10, 9999), rng.choice(
                namebank.STREET_NAMES), rng.choice(namebank.STREET_KINDS)),
            "street_line_2": "Apt %d" % rng.randint(1, 40) if rng.random() < 0.1 else None,
            "city": city, "state": state, "zip": "%s%02d" % (zip_prefix, rng.randint(1, 99)),
            "country_code": "US", "country_name": "United States", "location": "Home",
        }

    def _add_contact(self, kind, person, values):
        created = self._created(after=person["created_at"])
        contact = dict(values, created_at=created, updated_at=self._updated(created))
        self.db.add_contact(kind, person["id"], contact)

    # -- households and groups --------------------------------------------------------

    def _add_household(self, members):
        primary = next((p for p in members if not p["child"]), members[0])
        created = max(p["created_at"] for p in members)
        household = self.db.add_household({
            "name": records.household_name_for(primary["last_name"], primary["first_name"]),
            "avatar": None, "primary_contact_id": primary["id"],
            "created_at": created, "updated_at": self._updated(created)})
        profile_data.fill_household(self.profile_rng, household)
        for person in members:
            role = "child_or_dependent" if person["child"] else "adult"
            self.db.add_household_member(household["id"], person["id"], {
                "pending": False, "household_role": role})

    def add_groups(self):
        people_ids = list(self.db.people.rows)
        for position, (name, description) in enumerate(namebank.GROUPS):
            created = self._created()
            archived = position == len(namebank.GROUPS) - 1
            group = self.db.add_group(_group_record(name, description, created, self.now))
            group["updated_at"] = self._updated(created)
            group["archived_at"] = group["updated_at"] if archived else None
            profile_data.fill_group(self.profile_rng, self.db, group)
            size = min(len(people_ids), self.rng.randint(5, 25) + len(people_ids) // 2000)
            for rank, person_id in enumerate(self.rng.sample(people_ids, size)):
                joined = self._updated(self.db.people.rows[person_id]["created_at"])
                self.db.add_group_membership(group["id"], person_id, {
                    "role": "leader" if rank < 1 + size // 12 else "member",
                    "joined_at": joined})


def _group_record(name, description, created, now):
    slug = ascii_slug(name)
    return {
        "name": name, "description": f"<div>{description}</div>",
        "description_as_plain_text": description, "archived_at": None,
        "contact_email": f"{slug}@church.example.org", "schedule": "Weekly",
        "listed": True, "chat_enabled": True, "events_visibility": "members",
        "location_type_preference": "physical", "members_are_confidential": False,
        "public_church_center_web_url": f"https://sandbox.churchcenter.com/groups/{slug}",
        "virtual_location_url": None, "widget_status": {}, "header_image": {},
        "created_at": created, "updated_at": created,
    }
