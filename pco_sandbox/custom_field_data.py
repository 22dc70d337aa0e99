"""The generator's custom fields: a "Membership" tab and a "Serving" tab with every data type
PCO has (a heading, a checkboxes field with several ticks, a select, a file, a deleted field),
and values for about three people in five, with a church's gaps (children have no background
check, few people have notes).

It draws from its own RNG and writes straight into the Database after everyone else exists, so
it changes nothing else a seed generates and costs a few draws per person. The mutator picks
new values with the same helpers.
"""
import random
import re
import time
import unicodedata

from .field_values import slug_for

# (tab, [(name, data_type, options)]); a deleted definition keeps its place, holding no data.
TABS = (
    ("Membership", (("Baptism date", "date", ()),
                    ("Membership class completed", "boolean", ()),
                    ("Membership notes", "text", ()),
                    ("Previous church", "string", ()))),
    ("Serving", (("Volunteer details", "header", ()),
                 ("Serving interests", "checkboxes", ("Worship team", "Kids ministry",
                                                      "Hospitality", "Tech & media", "Prayer team",
                                                      "Outreach")),
                 ("T-shirt size", "select", ("S", "M", "L", "XL", "XXL", "Youth M")),
                 ("Years serving", "number", ()),
                 ("Background check form", "file", ()))),
)
DELETED = ("Previous church",)
FILLED_SHARE = 0.6
NOTES = ("Joined from First Baptist in 2019", "Prefers to be contacted by text",
         "Transferred membership letter received", "Interested in the next class",
         "Line one of a note\r\nand line two")
FILE_URL = ("https://account-center-production.s3.amazonaws.com/uploads/field_datum/"
            "organization-{org}/person-{person}/field-definition-{definition}-{key}/{name}")


def rng_for(seed):
    return random.Random(f"custom_fields:{seed}")


def fill(db, seed, now, organization):
    """Tabs, definitions and options, then the people's values."""
    fill_definitions(db, now)
    fill_people(rng_for(seed), db, now, organization)


def fill_definitions(db, now):
    for tab_position, (tab_name, fields) in enumerate(TABS, start=1):
        tab = db.tabs.insert({"name": tab_name, "sequence": tab_position,
                              "slug": slug_for(tab_name)})
        for position, (name, data_type, options) in enumerate(fields, start=1):
            definition = db.field_definitions.insert({
                "name": name, "data_type": data_type, "sequence": position,
                "slug": slug_for(name), "config": None, "tab_id": tab["id"],
                "deleted_at": now - 200 * 86400 if name in DELETED else None})
            for rank, value in enumerate(options, start=1):
                db.add_field_option(definition["id"], {"value": value, "sequence": rank})


def fill_people(rng, db, now, organization):
    latest_year = time.gmtime(now).tm_year - 1
    makers = _makers(rng, db, latest_year, organization)
    draw = rng.random
    for person in list(db.people.values()):
        if draw() >= FILLED_SHARE:
            continue
        adult = not person.get("child")
        for share, adults_only, make in makers:
            if (adult or not adults_only) and draw() < share:
                for datum in make(person):
                    db.add_field_datum(person["id"], datum)


# (field, share of the people with values, adults only)
PLAN = (("Baptism date", 0.55, False), ("Membership class completed", 0.5, False),
        ("Membership notes", 0.1, False), ("Serving interests", 0.4, True),
        ("T-shirt size", 0.35, False), ("Years serving", 0.25, True),
        ("Background check form", 0.15, True))


def _makers(rng, db, latest_year, organization):
    fields = {d["name"]: d for d in db.field_definitions.values()}
    return [(share, adults_only,
             value_maker(rng, db, fields[name], latest_year, organization))
            for name, share, adults_only in PLAN]


def value_maker(rng, db, definition, latest_year, organization):
    """person -> the data (dicts of datum columns) a new value of `definition` takes."""
    data_type, definition_id = definition["data_type"], definition["id"]
    # A datum without a file leaves the file columns out (they read as None).
    options = [{"value": o["value"], "field_option_id": o["id"],
                "field_definition_id": definition_id} for o in db.options_of(definition_id)]
    if data_type == "file":
        return lambda person: [dict(file_values(rng, definition, person, organization),
                                    field_definition_id=definition_id)]
    if data_type == "checkboxes":
        return lambda person: [dict(o) for o in sorted(
            rng.sample(options, min(len(options), rng.choice((1, 1, 2, 2, 3)))),
            key=lambda o: o["field_option_id"])]
    if data_type == "select":
        return lambda person: [dict(rng.choice(options))]
    plain = plain_maker(rng, data_type, latest_year, organization["date_format"])
    return lambda person: [{"value": plain(person), "field_definition_id": definition_id}]


def plain_maker(rng, data_type, latest_year, date_format):
    """person -> a value of a field without options (dates in the organization's format)."""
    draw = rng.random
    if data_type == "date":
        form = date_format.replace("%Y", "{0:04d}").replace("%m", "{1:02d}").replace(
            "%d", "{2:02d}")

        def a_date(person):
            first = min(max(int((person.get("birthdate") or "1970")[:4]) + 8, 1960), latest_year)
            year = first + int(draw() * (latest_year - first + 1))
            return form.format(year, 1 + int(draw() * 12), 1 + int(draw() * 28))
        return a_date
    if data_type == "boolean":
        return lambda person: "true" if draw() < 0.8 else "false"
    if data_type == "number":
        return lambda person: str(1 + int(draw() * 25))
    return lambda person: NOTES[int(draw() * len(NOTES))]


def file_values(rng, definition, person, organization):
    words = " ".join(p for p in (person.get("first_name"), person.get("last_name")) if p)
    plain = unicodedata.normalize("NFKD", words).encode("ascii", "ignore").decode()
    name = (re.sub(r"[^A-Za-z0-9]+", "_", plain).strip("_") or "Member") + "_background_check.pdf"
    url = FILE_URL.format(org=organization["id"], person=person["id"],
                          definition=definition["id"], key="%020x" % rng.getrandbits(80),
                          name=name)
    return {"value": None, "field_option_id": None, "file_url": url,
            "file_content_type": "application/pdf", "file_name": name,
            "file_size": rng.randint(15_000, 180_000)}
