"""The generator's profile data: PCO's choice lists and campuses, Groups' types, locations and
tags, and each person's share of them, with a church's gaps (most people have no anniversary,
children have grades and schools and adults do not, few have a prefix or medical notes).

It draws from its own RNG, so adding it changed nothing else a seed generates.
"""
import random
from datetime import date

MARITAL_STATUSES = ("Single", "Married", "Widowed", "Divorced", "Separated")
MARITAL_WEIGHTS = (30, 55, 6, 7, 2)
INACTIVE_REASONS = ("Moved away", "Attends another church", "No longer attending", "Deceased")
NAME_PREFIXES = ("Mr.", "Mrs.", "Ms.", "Dr.", "Rev.")
NAME_SUFFIXES = ("Jr.", "Sr.", "II", "III")
# (value, beginning grade, ending grade), as SchoolOption says them.
SCHOOLS = (("Lincoln Elementary", "K", "5"), ("Washington Middle School", "6", "8"),
           ("Jefferson High School", "9", "12"))
CAMPUSES = (("Main Campus", "Springfield"), ("North Campus", "Shelbyville"), ("Online", None))
MEDICAL_NOTES = ("Peanut allergy: carries an EpiPen", "Asthma: inhaler in backpack",
                 "Type 1 diabetes", "Bee sting allergy", "Uses a wheelchair")
# Legal names that differ from the name a person goes by.
GIVEN_NAMES = ("Johannes", "Guillermo", "Giovanni", "Katarzyna", "Margarethe", "Nguyen Van An")
GROUP_TYPES = ("Small Groups", "Classes", "Serving Teams")
LOCATIONS = ("Fellowship Hall", "Room 204", "The Coffee House", "Online")
TAG_GROUPS = (("Meeting day", ("Sunday", "Wednesday", "Friday")),
              ("Life stage", ("Young adults", "Families", "Seniors")))
SCHEDULES = ("Sundays at 9:30am", "Every other Tuesday at 7pm", "Wednesdays at 6:30pm",
             "First Saturday of the month", None)
PHOTO_URL = "https://avatars.planningcenteronline.com/uploads/person/{id}/photo.jpg"
HOUSEHOLD_PHOTO_URL = "https://avatars.planningcenteronline.com/uploads/household/{id}/photo.jpg"


def rng_for(seed):
    return random.Random(f"profile:{seed}")


def fill_lists(db, now):
    """Every list, with PCO-like values (ids from each list's own range)."""
    for collection, values in (("marital_statuses", MARITAL_STATUSES),
                               ("inactive_reasons", INACTIVE_REASONS),
                               ("name_prefixes", NAME_PREFIXES),
                               ("name_suffixes", NAME_SUFFIXES)):
        for value in values:
            db.lists[collection].insert({"value": value, "created_at": now, "updated_at": now})
    for position, (value, first, last) in enumerate(SCHOOLS):
        db.lists["school_options"].insert({
            "value": value, "beginning_grade": first, "ending_grade": last,
            "school_types": ["elementary" if last == "5" else "secondary"], "sequence": position})
    for name, city in CAMPUSES:
        db.lists["campuses"].insert({"name": name, "city": city, "created_at": now,
                                     "updated_at": now})
    _fill_group_lists(db)


def _fill_group_lists(db):
    for position, name in enumerate(GROUP_TYPES):
        db.lists["group_types"].insert({"name": name, "position": position})
    for name in LOCATIONS:
        db.lists["locations"].insert({"name": name, "full_formatted_address": None})
    for position, (name, tags) in enumerate(TAG_GROUPS):
        tag_group = db.lists["tag_groups"].insert({"name": name, "position": position})
        for rank, tag in enumerate(tags):
            db.lists["tags"].insert({"name": tag, "position": rank,
                                     "tag_group_id": tag_group["id"]})


def _ids(db, collection):
    return list(db.lists[collection].rows)


def fill_person(rng, db, person, now):
    """The person's profile fields and choices (person["child"] and birthdate are set)."""
    if rng.random() < 0.75:
        person["primary_campus_id"] = rng.choice(_ids(db, "campuses"))
    if person["child"]:
        _fill_child(rng, db, person, now)
    else:
        _fill_adult(rng, db, person)
    if person.get("status") == "inactive" and rng.random() < 0.7:
        person["inactive_reason_id"] = rng.choice(_ids(db, "inactive_reasons"))
    if rng.random() < 0.15:
        person["avatar"] = PHOTO_URL.format(id=person["id"])


def _fill_adult(rng, db, person):
    statuses = _ids(db, "marital_statuses")
    if rng.random() < 0.8:
        status = rng.choices(statuses, MARITAL_WEIGHTS[:len(statuses)])[0]
        person["marital_status_id"] = status
        married = db.lists["marital_statuses"].rows[status]["value"] == "Married"
        if married and rng.random() < 0.35:
            person["anniversary"] = "%04d-%02d-%02d" % (
                rng.randint(1965, 2023), rng.randint(1, 12), rng.randint(1, 28))
    if rng.random() < 0.2:
        person["name_prefix_id"] = rng.choice(_ids(db, "name_prefixes"))
    if rng.random() < 0.04:
        person["name_suffix_id"] = rng.choice(_ids(db, "name_suffixes"))
    if rng.random() < 0.03:
        person["given_name"] = rng.choice(GIVEN_NAMES)
    if rng.random() < 0.04:
        person["medical_notes"] = rng.choice(MEDICAL_NOTES)


def _fill_child(rng, db, person, now):
    grade = grade_for(person.get("birthdate"), now)
    if grade is not None:
        person["grade"] = grade
        person["graduation_year"] = school_year_end(now) + 12 - grade
        schools = _ids(db, "school_options")
        if grade >= 0 and rng.random() < 0.65:
            person["school_id"] = schools[0 if grade <= 5 else 1 if grade <= 8 else 2]
    if rng.random() < 0.15:
        person["medical_notes"] = rng.choice(MEDICAL_NOTES)


def school_year_end(now):
    today = date.fromtimestamp(now)
    return today.year + (1 if today.month >= 8 else 0)


def grade_for(birthdate, now):
    """PCO's scale (-1 pre-K, 0 kindergarten, 1-12) from the age on 1 September; None for a
    child too young or out of school."""
    if not birthdate:
        return None
    born = date.fromisoformat(birthdate)
    start = date(school_year_end(now) - 1, 9, 1)
    age = start.year - born.year - ((start.month, start.day) < (born.month, born.day))
    grade = age - 5
    return grade if -1 <= grade <= 12 else None


def fill_group(rng, db, group):
    group["group_type_id"] = rng.choice(_ids(db, "group_types"))
    group["location_id"] = rng.choice(_ids(db, "locations")) if rng.random() < 0.8 else None
    tags = _ids(db, "tags")
    group["tag_ids"] = sorted(rng.sample(tags, rng.randint(0, 2)))
    group["schedule"] = rng.choice(SCHEDULES)


def fill_household(rng, household):
    if rng.random() < 0.1:
        household["avatar"] = HOUSEHOLD_PHOTO_URL.format(id=household["id"])
