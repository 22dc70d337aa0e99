"""Generated group meetings and attendance: each group that is not archived met weekly for the
last WEEKS weeks (one meeting in twelve canceled), and each meeting records every member who
belonged then, attended or not, with the odd visitor (someone of the church outside the group).
Seeded on its own, so the rest of the generated church does not change with it."""
import random

WEEKS = 8
WEEK = 7 * 86_400
HOUR = 3_600
ATTENDED_SHARE = 0.7
VISITOR_SHARE = 0.15


def fill(db, seed, now):
    rng = random.Random(f"attendance:{seed}")
    people = list(db.people.rows)
    for group in list(db.groups.values()):
        if group.get("archived_at") is not None:
            continue
        members = db.members_of_group(group["id"])
        first = now - WEEKS * WEEK - (now % HOUR) - rng.randrange(0, 7) * 86_400
        for week in range(WEEKS):
            starts = first + week * WEEK + 19 * HOUR
            event = db.add_group_event(group["id"], event_record(group, starts, rng))
            if event["canceled"]:
                continue
            add_attendances(db, rng, event, members, people)


def event_record(group, starts, rng):
    canceled = rng.random() < 1 / 12
    return {
        "name": f"{group['name']} meeting", "description": None,
        "starts_at": starts, "ends_at": starts + 2 * HOUR, "canceled": canceled,
        "canceled_at": starts - 86_400 if canceled else None, "multi_day": False,
        "repeating": True, "location_type_preference": "physical",
        "virtual_location_url": None, "attendance_requests_enabled": True,
        "automated_reminder_enabled": False, "reminders_sent": False,
        "reminders_sent_at": None, "visitors_count": 0,
    }


def add_attendances(db, rng, event, members, people):
    for membership in members:
        if membership["joined_at"] is not None and membership["joined_at"] > event["starts_at"]:
            continue
        db.add_attendance(event["id"], membership["person_id"], {
            "attended": rng.random() < ATTENDED_SHARE, "role": membership["role"]})
    if people and rng.random() < VISITOR_SHARE:
        present = {a["person_id"] for a in db.attendances_of(event["id"])}
        visitor = rng.choice(people)
        if visitor not in present:
            db.add_attendance(event["id"], visitor, {"attended": True, "role": "visitor"})
            event["visitors_count"] = 1
