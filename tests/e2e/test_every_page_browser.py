"""Every page a logged-in tech admin can open, walked in headless Chromium at a phone's and a
desktop's width: every GET route in `app.url_map` (ids filled from rows made here), so a page
another change adds is checked without a new list. On each page: no sideways scroll, axe-core
finds no serious or critical violation, no select lists an option twice, no raw id or code
field name shows, and every destructive form asks before it acts (data-confirm, which
static/js/confirm.js asks, data-confirm-page on a form whose next page asks, or
data-confirmation on the form of such a page).

A problem not yet fixed is a KNOWN exception below, with its reason: the list shrinks, the
checks do not weaken (an exception that no longer happens fails the test too)."""
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from sqlalchemy import select
from werkzeug.routing import IntegerConverter

from pcosync.extensions import db
from pcosync.models import Person, SyncRun
from tests import support
from tests.directory.custom_field_helpers import church_fields, give
from tests.factories import make_person, one_of_everything

pytestmark = pytest.mark.browser

WIDTHS = (360, 1280)
NOT_PAGES = {  # endpoint: why the walk leaves it out
    "static": "files, not pages",
    "sync.status": "JSON for the Sync page's script",
    "sync.run_summary": "JSON for the run page's script",
    "sync.duplicate_scan_status": "JSON for the finder page's script",
    "sync.history": "a fragment the Sync page reloads into itself",
    "health.liveness": "a health check for the load balancer",
    "health.sync": "a health check for monitoring",
    "auth.login": "for people not logged in",
    "directory.stored_file": "a stored photo or file, not a page",
}
SERIOUS = {"serious", "critical"}
RAW_TEXT = {  # what a person should never read: ids, code names, Python's booleans
    "code field name": re.compile(r"\b(pco_id|is_primary|[a-z]+_id)\b"),
    "a model and its id": re.compile(
        r"\b(Person|PhoneNumber|Email|Address|Family|Group|FamilyMember|GroupMembership)"
        r" \d+\b"),
    "a Python boolean": re.compile(r"(:|=)\s*(True|False|None)\b"),
}
DESTRUCTIVE = re.compile(r"remove|delete|archive|merge|dismiss|revert|run anyway|disconnect",
                         re.IGNORECASE)
KNOWN = {  # (endpoint, check): why it is not fixed yet
}


@pytest.fixture
def rows(app, make_sandbox):
    """{argument name: [ids]}: a person with contacts, a family, a group, custom fields with
    values, a pull's run with its steps, a preview with would-be PCO writes, a review item."""
    make_sandbox(people=12, seed=3)
    pull = support.run("People")
    ids, _ = one_of_everything()
    make_person("Ruth", "Naomi", emails=["ruth@example.org"])
    support.run("Push People")
    make_person("Ruth", "Naomi", emails=["ruth@example.org"])  # held back for review
    pulled = db.session.scalar(select(Person).where(Person.pco_id.is_not(None)).limit(1))
    pulled.nickname = "Nell"
    make_person("Helen", "Cooper", phones=["503-555-0142"], emails=["helen@example.org"])
    preview = support.run("Push People", preview=True)
    fields = church_fields()
    ann = db.session.get(Person, ids["person_id"])
    give(ann, fields["Baptism date"], "03/12/2019")
    give(ann, fields["T-shirt size"], "M")
    db.session.commit()
    runs = db.session.scalars(select(SyncRun.id).order_by(SyncRun.id)).all()
    assert pull.id in runs and preview.id in runs
    return {"person_id": [ids["person_id"]], "family_id": [ids["family_id"]],
            "group_id": [ids["group_id"]], "run_id": [pull.id, preview.id],
            "change_id": [ids["change_id"]]}


def page_paths(app, rows):
    """[(endpoint, path)] for every GET page, each id argument filled from `rows`."""
    found = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if "GET" not in rule.methods or rule.endpoint in NOT_PAGES or "/api/" in rule.rule:
            continue
        names = [n for n, c in rule._converters.items() if isinstance(c, IntegerConverter)]
        assert set(names) == set(rule.arguments), f"{rule.rule}: an argument the walk can't fill"
        for values in combinations(names, rows, rule.rule):
            found.append((rule.endpoint, rule.build(values)[1]))
    return found


def combinations(names, rows, path):
    if not names:
        return [{}]
    missing = [name for name in names if name not in rows]
    assert not missing, f"{path}: no rows for {missing}: make one in the `rows` fixture"
    first, *rest = names
    return [{first: value, **others} for value in rows[first]
            for others in combinations(rest, rows, path)]


def problems_on(page, width):
    """[(check, detail)] on the page as it is now, at `width` px (axe-core already loaded)."""
    page.set_viewport_size({"width": width, "height": 900})
    found = []
    sizes = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    if sizes[0] > sizes[1]:
        found.append(("sideways scroll", f"{sizes[0]} px wide at {width} px"))
    for violation in page.evaluate(AXE_RUN)["violations"]:
        if violation["impact"] in SERIOUS:
            targets = [node["target"] for node in violation["nodes"][:3]]
            found.append(("axe", f"{violation['id']} ({violation['impact']}) at {targets}"))
    if width == WIDTHS[-1]:
        found += problems_in_markup(page)
    return found


def problems_in_markup(page):
    """The checks that do not depend on the width."""
    found = []
    for name, options in page.evaluate(DUPLICATE_OPTIONS):
        found.append(("duplicate option", f"select {name!r} lists {options}"))
    text = page.evaluate("document.body.innerText")
    for check, pattern in RAW_TEXT.items():
        for match in sorted({m.group(0) for m in pattern.finditer(text)}):
            found.append(("raw text", f"{check}: {match!r}"))
    for action, label in page.evaluate(UNGUARDED_FORMS):
        if DESTRUCTIVE.search(action) or DESTRUCTIVE.search(label):
            found.append(("asks first", f"{label!r} posts to {action} without data-confirm"))
    return found


# What Axe().run does after loading axe-core into the page, which it did at each call: loaded
# once a page, axe-core's 570 kB are parsed once, not once per width.
AXE_RUN = "axe.run(document, {resultTypes: ['violations']})"
DUPLICATE_OPTIONS = """[...document.querySelectorAll('select')].map(s => {
  const seen = {}, twice = [];
  for (const o of s.options) {
    const key = o.textContent.trim().toLowerCase();
    if (seen[key]) twice.push(o.textContent.trim()); seen[key] = true;
  }
  return [s.name || s.id, twice];
}).filter(pair => pair[1].length)"""
UNGUARDED_FORMS = """[...document.querySelectorAll('form')]
  .filter(f => f.method.toLowerCase() === 'post' && !f.dataset.confirm && !f.dataset.confirmPage
               && !('confirmation' in f.dataset))
  .flatMap(f => [...f.querySelectorAll('button, input[type=submit]')]
    .map(b => [new URL(b.getAttribute('formaction') || f.getAttribute('action') || '',
                       location.href).pathname,
               (b.textContent || b.value || '').trim()]))"""


def test_every_page_reads_well_at_both_widths(logged_in_page, app, rows):
    page, axe_core = logged_in_page, Axe().axe_script
    walked, found = [], {}
    for endpoint, path in page_paths(app, rows):
        response = page.goto(path)
        walked.append(path)
        if response.status != 200:
            found.setdefault((endpoint, "answers"), []).append(f"{path}: {response.status}")
            continue
        page.evaluate(axe_core)
        for width in WIDTHS:
            for check, detail in problems_on(page, width):
                found.setdefault((endpoint, check), []).append(f"{path} @{width}: {detail}")
    print("walked:", *walked, sep="\n  ")
    assert len(walked) > 20, "the walk found the pages"
    new = {key: details for key, details in found.items() if key not in KNOWN}
    stale = sorted(set(KNOWN) - set(found))
    assert not new, "\n".join(f"{key}: {details}" for key, details in sorted(new.items()))
    assert not stale, f"fixed, so take them off KNOWN: {stale}"
