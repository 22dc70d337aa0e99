"""Listings by created_at (oldest or newest first) answer from a sorted index
(pco_sandbox/stamp_order.py): the same pages as filtering and sorting the whole table, also
after people are created and deleted."""
from collections import Counter

PEOPLE = "/people/v2/people"
# Ordered by created_at then id: the same order, answered the long way (filter, then sort).
LONG_WAY = {"created_at": "created_at,id", "-created_at": "-created_at,id"}


def listing(api, path, where, order="created_at"):
    """Every page's ids and the total_count, by offset, 25 a page."""
    ids, offset, totals = [], 0, set()
    while True:
        body = api.get(path, params={**where, "order": order, "offset": offset}).json()
        ids += [r["id"] for r in body["data"]]
        totals.add(body["meta"]["total_count"])
        if "next" not in body["links"]:
            return ids, totals
        offset += 25


def assert_same_pages(api, path, wheres):
    for where in wheres:
        for order, long_order in LONG_WAY.items():  # newest first: ties still in id order
            fast, long_way = listing(api, path, where, order), listing(api, path, where, long_order)
            assert fast == long_way, (where, order)
            assert fast[1] == {len(fast[0])}, (where, order)


def test_pages_by_created_at_match_the_long_way_after_writes(make_api):
    api = make_api(SANDBOX_IMPORTED=30)
    everyone = listing(api, PEOPLE, {})[0]
    stamps = [p["attributes"]["created_at"] for offset in (0, 100) for p in api.get(
        PEOPLE, params={"order": "created_at", "per_page": 100, "offset": offset}).json()["data"]]
    crowded = Counter(stamps).most_common(1)[0][0]
    middle = stamps[60]
    wheres = [{}, {"where[created_at]": crowded}, {"where[created_at][gt]": crowded},
              {"where[created_at][gte]": middle}, {"where[created_at][lt]": middle},
              {"where[created_at][gte]": crowded, "where[created_at][lte]": middle}]
    assert_same_pages(api, PEOPLE, wheres)
    assert_same_pages(api, "/people/v2/households", [{}, {"where[created_at][gte]": middle}])

    gone = [everyone[3], everyone[70]]
    for person_id in gone:
        assert api.delete(f"{PEOPLE}/{person_id}").status_code == 204
    made = api.post(PEOPLE, {"data": {"type": "Person", "attributes": {
        "first_name": "Newly", "last_name": "Listed"}}}).json()["data"]["id"]
    after = listing(api, PEOPLE, {})[0]
    assert after[-1] == made and not set(gone) & set(after)
    assert len(after) == len(everyone) - 1
    assert_same_pages(api, PEOPLE, wheres)
