"""Every route with an <int:...> id answers 404, not 500, for an id past the database's
integer (SQLite refused 99999999999999999999999 with an OverflowError; PostgreSQL refuses
anything past 2^31-1), for every method it takes, on both databases."""
from werkzeug.routing import IntegerConverter

from pcosync.routing import MAX_ID
from tests.support import csrf_token

HUGE_IDS = ("99999999999999999999999", str(2**63), str(MAX_ID + 1))


def id_routes(app):
    """(rule, method) for every rule with an int argument."""
    found = []
    for rule in app.url_map.iter_rules():
        if any(isinstance(c, IntegerConverter) for c in rule._converters.values()):
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                found.append((rule, method))
    return found


def path_with(rule, value):
    """The rule's path with every id set to `value` (and any other part set to a valid one)."""
    args = {}
    for name, converter in rule._converters.items():
        choices = sorted(getattr(converter, "items", ()))
        args[name] = choices[0] if choices else int(value)
    return rule.build(args)[1]


def test_an_id_out_of_range_is_not_found_on_every_route(app, admin_client):
    routes = id_routes(app)
    assert len(routes) > 15, "the sweep found the routes with ids"
    token = csrf_token(admin_client, "/")
    wrong = []
    for rule, method in routes:
        for value in HUGE_IDS:
            path = path_with(rule, value)
            answer = admin_client.open(path, method=method, data={"csrf_token": token})
            if answer.status_code != 404:
                wrong.append((method, path, answer.status_code))
    assert not wrong, wrong


def test_the_largest_id_still_reaches_the_view(admin_client):
    assert admin_client.get(f"/directory/people/{MAX_ID}").status_code == 404
    assert admin_client.get(f"/sync/runs/{MAX_ID}").status_code == 404
