"""Admin routes: stats, dump, mutate, config, reset — plus the server and CLI entry points."""
from click.testing import CliRunner

from pco_sandbox.cli import run_command, sandbox_cli

PEOPLE = "/people/v2/people"


def test_stats_count_routes_and_reset(api):
    api.get(PEOPLE)
    person = api.get(PEOPLE, params={"per_page": 1}).json()["data"][0]
    api.patch(f"{PEOPLE}/{person['id']}", {"data": {"attributes": {"nickname": "S"}}})
    api.get("/people/v2/emails/1")
    stats = api.admin("GET", "/stats").json()
    assert stats["total"] == 4
    assert stats["by_route"] == {
        "GET /people/v2/people": 2, "PATCH /people/v2/people/<id>": 1,
        "GET /people/v2/emails/<id>": 1}
    assert stats["over_limit"] == 0 and stats["before_retry_after"] == 0
    assert "webhooks" in stats and "faults" in stats
    reset = api.admin("POST", "/stats/reset").json()
    assert reset["total"] == 0 and reset["by_route"] == {}


def test_dump_is_canonical_and_complete(api):
    dump = api.admin("GET", "/dump").json()
    assert dump["counts"]["people"] == len(dump["people"]) == 120
    ids = [int(p["id"]) for p in dump["people"]]
    assert ids == sorted(ids)
    first = dump["people"][0]
    assert {"emails", "phone_numbers", "addresses", "first_name", "updated_at"} <= set(first)
    assert all(h["members"] and h["primary_contact_id"] for h in dump["households"])
    assert len(dump["groups"]) == 12
    assert api.admin("GET", "/dump").json() == dump


def test_mutate_changes_data_and_reports_it(api):
    before = api.admin("GET", "/dump").json()
    result = api.admin("POST", "/mutate", {"count": 12, "seed": 11}).json()
    assert result["count"] == 12
    actions = {change["action"] for change in result["changes"]}
    assert actions and all(change["type"] and change["id"] for change in result["changes"])
    after = api.admin("GET", "/dump").json()
    assert after != before
    people = {p["id"]: p for p in after["people"]}
    last_values = {}
    for change in result["changes"]:
        if change["action"] in ("rename", "change_birthdate"):
            for name, value in change["attributes"].items():
                last_values[(change["id"], name)] = value
    for (person_id, name), value in last_values.items():
        assert person_id not in people or people[person_id][name] == value


def test_config_changes_apply_at_runtime(api):
    settings = api.admin("POST", "/config", {"rate_limit": 2, "rate_period": 30,
                                             "rate_period_format": "{seconds} seconds"}).json()
    assert settings["rate_limit"] == 2
    assert api.get(PEOPLE).headers["X-PCO-API-Request-Rate-Period"] == "30 seconds"
    api.get(PEOPLE)
    assert api.get(PEOPLE).status_code == 429
    assert api.admin("POST", "/config", {"nonsense": 1}).status_code == 400


def test_reset_regenerates(api):
    api.post(PEOPLE, {"data": {"attributes": {"first_name": "Temp"}}})
    assert api.admin("POST", "/reset", {"people": 70, "seed": 2}).json()["people"] == 70
    assert api.get(PEOPLE).json()["meta"]["total_count"] == 70
    assert api.server.store is api.server.app.extensions["pco_sandbox"]


def test_base_url_override(make_api):
    api = make_api(SANDBOX_BASE_URL="https://api.planningcenteronline.com")
    body = api.get(PEOPLE, params={"per_page": 1}).json()
    assert body["links"]["self"].startswith("https://api.planningcenteronline.com/people/v2/")


def test_cli_is_an_app_group_with_run():
    assert sandbox_cli.name == "sandbox" and "run" in sandbox_cli.commands
    result = CliRunner().invoke(run_command, ["--help"])
    assert result.exit_code == 0
    for option in ("--port", "--people", "--seed", "--rate-limit", "--webhook-url",
                   "--webhook-secret"):
        assert option in result.output
