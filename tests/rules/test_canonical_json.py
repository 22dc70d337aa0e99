"""A state's hash is taken of the bytes json.dumps has always written for it (rules/state.py):
orjson writes them faster, and json itself where orjson would write other bytes. A hash held
since an earlier release must stay the person's, or the next push sends everyone."""
import json
from datetime import date

from hypothesis import example, given, settings, strategies as st

from pcosync.services.rules import state as state_module
from pcosync.services.rules.state import canonical_json


def recipe(value):
    return json.dumps(value, sort_keys=True, default=str, separators=(",", ":")).encode()


leaves = (st.none() | st.booleans() | st.integers(min_value=-2 ** 70, max_value=2 ** 70)
          | st.floats(allow_nan=False, allow_infinity=False) | st.text())
values = st.recursive(leaves, lambda children: st.lists(children, max_size=4)
                      | st.dictionaries(st.text(max_size=8), children, max_size=4), max_leaves=20)


@settings(max_examples=300)  # a pure function: many examples cost a second
@given(values)
@example({"first_name": "José", "emails": [["1", "a@example.org", "Home", True]]})
@example({"note": "tab\there, nul\x00, quote\" and \\"})
@example({"note": "del\x7f"})
@example({"note": "\u2028"})
@example([1.5e-07, 9.034463646286873e-07, 1e16, 0.1, -0.0])
@example({"grade": 2 ** 64, "year": -2 ** 63 - 1})
@example({"b": 1, "a": {"d": [], "c": {}}, "B": None, "é": 1, "\U0001F600": 2})
@example({"stamp": date(2026, 12, 7)})
@example({"name": "Lee-7", "birthdate": "1991-10-10"})
def test_the_bytes_are_those_json_always_wrote(value):
    assert canonical_json(value) == recipe(value)


def test_a_plain_state_is_written_by_orjson_and_only_an_accent_by_json(monkeypatch):
    plain = {"first_name": "Brandon", "child": True, "grade": 2, "emails": [],
             "custom_fields": {"300001": "2025-04-06"}, "middle_name": None}
    accented = {**plain, "first_name": "José"}
    expected = [recipe(plain), recipe(accented)]
    dumps, written_by_json = json.dumps, []

    def json_dumps(value, **options):
        written_by_json.append(value)
        return dumps(value, **options)

    monkeypatch.setattr(state_module.json, "dumps", json_dumps)
    assert canonical_json(plain) == expected[0] and written_by_json == []  # the fast way
    assert canonical_json(accented) == expected[1] and written_by_json == [accented]
