"""Generated pastoral notes: PCO's usual categories and a note or two on about one person in
three, written by a staff member (the first person generated) or by nobody PCO names.
Seeded on its own, so the rest of the generated church does not change with it."""
import random

CATEGORIES = ("Pastoral Care", "Prayer Requests", "Follow-up")
TEXTS = (
    "Visited at home after the surgery; recovering well and grateful for the meals.",
    "Asked for prayer for a job interview on Thursday.",
    "First visit last Sunday; would like to hear about small groups.",
    "Grieving the loss of a parent; follow up in two weeks.",
    "Interested in serving with the children's ministry.",
    "Prays for her brother's health \u2013 \u00e9preuve difficile.",
)
SHARE = 0.35
DAY = 86_400


def fill(db, seed, now):
    rng = random.Random(f"notes:{seed}")
    categories = [db.note_categories.insert({
        "name": name, "locked": False, "created_at": now - 900 * DAY,
        "updated_at": now - 900 * DAY}) for name in CATEGORIES]
    people = list(db.people.values())
    author = people[0]["id"] if people else None
    for person in people:
        if rng.random() >= SHARE:
            continue
        for _ in range(rng.choice((1, 1, 2))):
            stamp = now - rng.randrange(1, 400) * DAY
            db.add_note(person["id"], {
                "note": rng.choice(TEXTS), "category_id": rng.choice(categories)["id"],
                "display_date": stamp, "created_at": stamp, "updated_at": stamp,
                "created_by_id": author if rng.random() < 0.7 else None})
