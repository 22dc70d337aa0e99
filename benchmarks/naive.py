"""The naive baseline for benchmarks/pull.py (not a benchmark of its own: its figures print with
`python -m benchmarks.pull`, and in its `--json` line as naive_*): People synced the way a script
built on pypco's defaults would do it, against the same sandbox.

    for person in pco.iterate("/people/v2/people"):            # 25 per page, no include
        save(person)                                            # INSERT, commit
        for kind in ("emails", "phone_numbers", "addresses"):
            for item in pco.iterate(f"/people/v2/people/{id}/{kind}"):   # a request each
                save(item)                                      # INSERT, commit

Into a throwaway SQLite file (sqlite3, one INSERT and one commit per record). No rate limit,
no retries, no change detection: the floor of what such a script costs, not a strawman.
"""
import os
import sqlite3
import tempfile
import time

import requests

AUTH = ("sandbox", "sandbox")
PER_PAGE = 25  # pypco's default page size
CONTACT_KINDS = ("emails", "phone_numbers", "addresses")
SCHEMA = """
CREATE TABLE people (pco_id TEXT PRIMARY KEY, first_name TEXT, last_name TEXT, nickname TEXT,
                     birthdate TEXT, gender TEXT, status TEXT, updated_at TEXT);
CREATE TABLE contacts (pco_id TEXT, kind TEXT, person_pco_id TEXT, value TEXT, location TEXT,
                       is_primary INTEGER, PRIMARY KEY (kind, pco_id));
"""


def iterate(session, url, params=None):
    """Every record of a listing, page after page by `links.next` (as pypco's iterate)."""
    while url:
        document = session.get(url, params=params, timeout=60)
        document.raise_for_status()
        body = document.json()
        yield from body["data"]
        url, params = body["links"].get("next"), None


def contact_value(kind, attributes):
    if kind == "emails":
        return attributes["address"]
    if kind == "phone_numbers":
        return attributes["number"]
    return ", ".join(str(attributes.get(part) or "") for part in
                     ("street_line_1", "street_line_2", "city", "state", "zip"))


def sync_people(sandbox_url, database_path):
    """Pull every person and their contact points; returns (people, records written)."""
    connection = sqlite3.connect(database_path)
    connection.executescript(SCHEMA)
    session = requests.Session()
    session.auth = AUTH
    people = written = 0
    for person in iterate(session, sandbox_url + "/people/v2/people", {"per_page": PER_PAGE}):
        a = person["attributes"]
        connection.execute("INSERT INTO people VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                           (person["id"], a["first_name"], a["last_name"], a["nickname"],
                            a["birthdate"], a["gender"], a["status"], a["updated_at"]))
        connection.commit()
        people, written = people + 1, written + 1
        for kind in CONTACT_KINDS:
            for item in iterate(session, f"{sandbox_url}/people/v2/people/{person['id']}/{kind}"):
                b = item["attributes"]
                connection.execute("INSERT INTO contacts VALUES (?, ?, ?, ?, ?, ?)",
                                   (item["id"], kind, person["id"], contact_value(kind, b),
                                    b.get("location"), int(bool(b.get("primary")))))
                connection.commit()
                written += 1
    connection.close()
    session.close()
    return people, written


def run(sandbox_url, reset_stats, read_stats):
    """The naive sync timed against the sandbox; its requests from the sandbox's own counts
    (`reset_stats()` before, `read_stats()` after)."""
    with tempfile.TemporaryDirectory(prefix="pcosync-naive-") as folder:
        reset_stats()
        started = time.perf_counter()
        people, written = sync_people(sandbox_url, os.path.join(folder, "naive.db"))
        seconds = time.perf_counter() - started
        stats = read_stats()
    return {"people": people, "records": written, "seconds": seconds,
            "requests": stats["total"]}
