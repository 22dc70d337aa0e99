"""Signed webhook bodies, fuzzed (Hypothesis; profiles in tests/plugins/fixtures.py): PCO's
envelope with any of its parts replaced by a wrong type, a huge or tiny number written as JSON
text (2**64 attempts answered 500), deep nesting, NULs, lone surrogates or arbitrary JSON, and
whole bodies of arbitrary JSON, each signed with the configured secret. Each answers 2xx or 4xx
within the profile's deadline, never 500, and a 4xx records and queues nothing."""
import json
import re

from hypothesis import example, given, settings, strategies as st
from sqlalchemy import func, select

from pcosync.extensions import db
from pcosync.models import WebhookDelivery

from .helpers import VECTOR, envelope, post, queued_jobs

EVENTS = ["people.v2.events.person.updated", "people.v2.events.person.destroyed",
          "people.v2.events.email.created", "groups.v2.events.membership.created"]
# Numbers written straight into the JSON text: what json.dumps cannot make.
RAW_NUMBERS = ["1e1000000", "-1e-400", "1.5e1000000", str(2**64), str(-2**63 - 1),
               "9" * 5000, "-0", "1E400", "0.0000000000000000000000001"]
RAW = "@@raw-{}@@"
DEEP = re.compile(r'\{"deep": (\d+)\}')
# One body is a cheap request: ten for each example the profile gives a form.
EXAMPLES = settings.default.max_examples * 10

hostile_text = st.one_of(
    st.sampled_from(["²", "¹⁵", "٣", "\x00", "a\x00b", "\ud800", "x" * 20_000, "", "null"]),
    st.text(max_size=40),
    st.text(st.characters(categories=["Cs", "Nd", "No", "Cc"]), max_size=10),
)
json_value = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-2**80, max_value=2**80)
    | st.floats(allow_nan=False) | hostile_text,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(hostile_text, inner, max_size=4),
    max_leaves=12)
raw_number = st.sampled_from(range(len(RAW_NUMBERS))).map(RAW.format)
deep = st.integers(min_value=1, max_value=3000).map(lambda depth: {"deep": depth})
hostile = json_value | raw_number | deep

# Where in PCO's envelope a hostile value goes: a path of keys into the parsed envelope.
PLACES = [("data",), ("data", 0), ("data", 0, "id"), ("data", 0, "type"),
          ("data", 0, "attributes"), ("data", 0, "attributes", "name"),
          ("data", 0, "attributes", "attempt"), ("data", 0, "attributes", "payload"),
          ("data", 0, "relationships"), ("data", 0, "relationships", "organization", "data", "id")]
PAYLOADS = ["person.updated", "person.destroyed", "email", "membership"]


@st.composite
def payloads(draw):
    """The payload, a JSON string inside the envelope: PCO's, one with hostile attributes, or
    any value."""
    person = {"data": {"type": "Person", "id": draw(st.sampled_from(["1", "125587227", "0"])),
                       "attributes": draw(st.dictionaries(
                           st.sampled_from(["first_name", "birthdate", "updated_at", "grade",
                                            "status", "child", "name"]) | hostile_text,
                           hostile, max_size=4))}}
    vector = json.loads(json.loads(VECTOR["body"])["data"][0]["attributes"]["payload"])
    return draw(st.sampled_from([vector, person, person]) | hostile)


@st.composite
def bodies(draw, broken):
    """PCO's envelope around a hostile payload, whole or `broken` in a place or two."""
    body = json.loads(envelope(event=draw(st.sampled_from(EVENTS))))
    body["data"][0]["attributes"]["payload"] = dumps(draw(payloads()))
    body["data"][0]["attributes"]["attempt"] = draw(st.integers(1, 30) | hostile)
    for place in draw(st.lists(st.sampled_from(PLACES), min_size=1, max_size=2, unique=True)
                      if broken else st.just([])):
        put(body, place, draw(hostile))
    return body


def put(body, place, value):
    *parents, last = place
    for key in parents:
        try:
            body = body[key]
        except (KeyError, IndexError, TypeError):
            return  # an earlier replacement took this part away
    if isinstance(body, dict) or (isinstance(body, list) and isinstance(last, int) and body):
        body[last] = value


def dumps(value):
    """JSON text with the raw numbers and deep nestings written in."""
    text = json.dumps(value, default=str)
    for index, number in enumerate(RAW_NUMBERS):
        text = text.replace(json.dumps(RAW.format(index)), number)
    return DEEP.sub(lambda match: "[" * int(match[1]) + "]" * int(match[1]), text)


def recorded():
    count = db.session.scalar(select(func.count()).select_from(WebhookDelivery))
    db.session.rollback()
    return count


@settings(max_examples=EXAMPLES)
@given(body=bodies(broken=False) | bodies(broken=True))
@example(body={"data": [{"id": "x", "type": "EventDelivery", "attributes": {
    "name": EVENTS[0], "attempt": RAW.format(3), "payload": "{}"}}]})  # attempt 2**64
def check(app, client, body):
    before = recorded(), queued_jobs(app)
    text = dumps(body).encode("utf-8", "surrogatepass")
    answer = post(client, text)
    assert answer.status_code < 500, (text[:500], answer.get_data(as_text=True)[:300])
    if answer.status_code >= 400:
        assert (recorded(), queued_jobs(app)) == before, (text[:500], answer.status_code)


def test_signed_hostile_bodies_answer_without_an_error(app, client):
    check(app, client)
