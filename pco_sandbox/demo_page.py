"""The sandbox's own page, /sandbox/: what a demo can do to "PCO" (an edit made in PCO, a
merge, a burst of webhooks, a reset), each a button, and a read-only view of one person,
household or group that the app's "Open in PCO" links lead to when the sandbox is the PCO in
use.

Plain HTML forms (no JavaScript), local-only like the other /sandbox routes.
"""
import random
from collections import defaultdict

from flask import Blueprint, redirect, render_template_string, request, url_for

from .mutator import mutate
from .pipeline import runtime

bp = Blueprint("sandbox_demo", __name__, url_prefix="/sandbox")
BURST = 25
ACTIONS = {  # name: (button, what it does)
    "edit": ("Make an edit in PCO",
             "Changes one person (a name, an email, a phone number...), as if someone edited them "
             "in Planning Center. PCO sends the webhook; a Quick Sync also picks it up."),
    "merge": ("Merge two people in PCO",
              "Merges two people of one last name, as PCO's own merge does: the app archives "
              "the removed one and moves what it had to the one kept."),
    "burst": (f"Send a burst of {BURST} changes",
              f"{BURST} edits at once, each with its webhook: the app applies them without "
              "spending PCO's rate limit on each."),
    "reset": ("Reset the demo data",
              "Back to the generated people, families and groups. The app keeps its copy until "
              "its next sync."),
}
PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>PCO sandbox</title>
<style>body{font-family:system-ui,sans-serif;max-width:46rem;margin:1rem auto;padding:0 1rem;
line-height:1.5}li{margin:0 0 1rem}button{font:inherit;padding:.3rem .8rem}
.done{background:#e6f4ea;padding:.5rem .8rem;border-radius:6px}</style></head><body>
<h1>PCO sandbox</h1>
<p>A stand-in for Planning Center with made-up people ({{ people }} now). Use it to watch the
app react to changes "in PCO".</p>
{% if done %}<p class="done" role="status">{{ done }}</p>{% endif %}
<h2>Demo actions</h2><ul>
{% for name, (label, help) in actions.items() %}
<li><form method="post" action="{{ url_for('sandbox_demo.act', name=name) }}"
{% if name in ("merge", "reset") %} onsubmit="return confirm('{{ label }}?')"{% endif %}>
<button type="submit">{{ label }}</button></form> {{ help }}</li>
{% endfor %}</ul></body></html>"""
RECORD = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>{{ name }}</title>
</head><body style="font-family:system-ui,sans-serif;max-width:46rem;margin:1rem auto">
<p><a href="{{ url_for('sandbox_demo.page') }}">PCO sandbox</a> /</p>
<h1>{{ name }}</h1>
<p>This {{ kind }} as the PCO sandbox holds {{ "them" if kind == "person" else "it" }}
(read-only).</p>
<dl>{% for key, value in fields %}<dt>{{ key }}</dt><dd>{{ value }}</dd>{% endfor %}</dl>
{% if members is not none %}<h2>Members ({{ members|length }})</h2><ul>
{% for person_id, member_name in members %}
<li><a href="{{ url_for('sandbox_demo.person', person_id=person_id) }}">{{ member_name }}</a></li>
{% endfor %}</ul>{% endif %}
</body></html>"""


@bp.get("/")
def page():
    return render_template_string(PAGE, actions=ACTIONS, done=request.args.get("done", "")[:200],
                                  people=len(runtime().store.db.people))


@bp.post("/demo/<name>")
def act(name):
    if name not in ACTIONS:
        return "No such demo action.", 404
    rt = runtime()
    rt.remember_base_url(request.host_url)
    done = DO[name](rt)
    return redirect(url_for("sandbox_demo.page", done=done))


def _edit(rt, count=1):
    changes = mutate(rt.store, count)
    return f"{len(changes)} change{'s' if len(changes) != 1 else ''} made in PCO."


def _merge(rt):
    by_last = defaultdict(list)
    for person in rt.store.db.people.values():
        by_last[person.get("last_name")].append(person["id"])
    pairs = [ids for ids in by_last.values() if len(ids) > 1]
    if not pairs:
        return "No two people share a last name: nothing to merge."
    keep, remove = random.choice(pairs)[:2]
    rt.store.merge_people(keep, remove)
    return f"Merged person {remove} into person {keep}."


def _reset(rt):
    rt.reset()
    return "The demo data is back to its start."


DO = {"edit": _edit, "burst": lambda rt: _edit(rt, BURST), "merge": _merge, "reset": _reset}


@bp.get("/people/<int:person_id>")
def person(person_id):
    record = runtime().store.db.people.get(person_id)
    if record is None:
        return "No such person in the sandbox.", 404
    return _record_page("person", _person_name(record) or f"Person {person_id}", record)


@bp.get("/households/<int:household_id>")
def household(household_id):
    db = runtime().store.db
    record = db.households.get(household_id)
    if record is None:
        return "No such household in the sandbox.", 404
    members = db.members_of_household(household_id)
    return _record_page("household", record.get("name") or f"Household {household_id}", record,
                        members=_member_names(db, members))


@bp.get("/groups/<int:group_id>")
def group(group_id):
    db = runtime().store.db
    record = db.groups.get(group_id)
    if record is None:
        return "No such group in the sandbox.", 404
    return _record_page("group", record.get("name") or f"Group {group_id}", record,
                        members=_member_names(db, db.members_of_group(group_id)))


def _person_name(record):
    return " ".join(str(record.get(k) or "") for k in ("first_name", "last_name")).strip()


def _member_names(db, memberships):
    people = (db.people.get(m["person_id"]) for m in memberships)
    return [(p["id"], _person_name(p) or f"Person {p['id']}") for p in people if p is not None]


def _record_page(kind, name, record, members=None):
    fields = [(key.replace("_", " "), value) for key, value in sorted(record.items())
              if value not in (None, "", [], {}) and not isinstance(value, (dict, list))]
    return render_template_string(RECORD, kind=kind, name=name, fields=fields, members=members)
