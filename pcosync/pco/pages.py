"""A page of a PCO listing, and what a JSON:API body says of its paging: shared by every way
of reading a listing (client.py's links, in_flight.py, both_ends.py, stamp_paging.py)."""
from dataclasses import dataclass


@dataclass
class Page:
    """One page of a list: resolved resources, PCO's total_count and this page's offset."""

    records: list[dict]
    total_count: int | None
    offset: int
    listing: int = 0  # which of several listings read together it belongs to (in_flight.py)


def as_list(data) -> list[dict]:
    return data if isinstance(data, list) else [data] if isinstance(data, dict) else []


def total_count(body: dict) -> int | None:
    meta = body.get("meta")
    count = meta.get("total_count") if isinstance(meta, dict) else None
    return count if isinstance(count, int) else None


def next_link(body: dict) -> str | None:
    links = body.get("links")
    link = links.get("next") if isinstance(links, dict) else None
    return link if isinstance(link, str) and link else None
