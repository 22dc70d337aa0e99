"""PCOClient: reads and writes Planning Center People and Groups over JSON:API.

It knows nothing about the database: reads yield resolved JSON:API resources
(turn them into local dicts with pcosync.pco.schemas.load_*), writes take
attribute dicts built by the schemas' dump_* functions.
"""
import time
from collections.abc import Iterator, Mapping
from datetime import date, datetime, timezone
from functools import partial

from .contact_kinds import BY_NAME as CONTACT_KINDS_BY_NAME, WIRE_KINDS
from .errors import PCOAuthError, PCOBadResponse
from .group_schemas import GROUP_FIELDS
from .custom_field_calls import CustomFieldCalls
from .in_flight import read_in_flight
from .jsonapi import document, path_segment as _segment, ref, resolve_document
from . import prefetch
from .pages import Page, as_list, next_link, total_count
from .preview import PreviewTransport
from .profile_schemas import PERSON_CHOICE_INCLUDES, ChoiceList
from .ratelimit import make_rate_limiter
from .stamp_paging import iter_by_created_at
from .transport import DEFAULT_BASE_URL, Transport

PER_PAGE = 100
# A person's contact points and the choices (marital status, campus ...) a page uses, so a page
# of people costs one request whatever they hold.
PERSON_INCLUDES = (*(kind.name for kind in WIRE_KINDS), "field_data", *PERSON_CHOICE_INCLUDES)
GROUP_INCLUDES = ("group_type", "location")
GROUP_PARAMS = {"fields[Group]": ",".join(GROUP_FIELDS)}


def format_timestamp(moment: datetime) -> str:
    """UTC ISO 8601 with a Z, as PCO filters expect; naive datetimes are taken as UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class PCOClient(CustomFieldCalls):
    """A PCO API client paced by a rate budget shared through Redis (when given one)."""

    def __init__(self, app_id: str, secret: str, base_url: str = DEFAULT_BASE_URL, *,
                 redis=None, timeout: float = 30.0, max_retries: int = 5,
                 max_backoff: float = 60.0, sleep=time.sleep, clock=time.time, logger=None,
                 preview: bool = False, read_ahead_pages: int = prefetch.READ_AHEAD_PAGES):
        if not app_id or not secret:
            raise PCOAuthError("PCO credentials are not configured: set PCO_APP_ID and PCO_SECRET")
        self.limiter = make_rate_limiter(app_id, redis, sleep=sleep, clock=clock)
        self.transport = Transport(
            app_id, secret, base_url or DEFAULT_BASE_URL, limiter=self.limiter,
            timeout=timeout, max_retries=max_retries, max_backoff=max_backoff,
            sleep=sleep, clock=clock, logger=logger)
        self.read_ahead_pages = max(1, int(read_ahead_pages))
        if preview:  # reads as usual, writes recorded and never sent (pco/preview.py)
            self.transport = PreviewTransport(self.transport)

    @property
    def preview(self) -> bool:
        return isinstance(self.transport, PreviewTransport)

    def would_be_writes(self) -> dict | None:
        """A preview client's recorded writes ({"total", "by_kind", "first"}); None otherwise."""
        return self.transport.summary() if self.preview else None

    @classmethod
    def from_config(cls, config: Mapping, redis=None, **options) -> "PCOClient":
        """`options` (max_retries, timeout, ...) override what the settings say."""
        timeout = config.get("PCO_TIMEOUT")
        options.setdefault("timeout", float(timeout) if timeout else 30.0)
        pages = config.get("PCO_READ_AHEAD_PAGES")
        options.setdefault("read_ahead_pages", int(pages) if pages else prefetch.READ_AHEAD_PAGES)
        return cls(config.get("PCO_APP_ID"), config.get("PCO_SECRET"),
                   config.get("PCO_API_URL") or DEFAULT_BASE_URL, redis=redis, **options)

    def __repr__(self) -> str:
        return f"PCOClient(base_url={self.transport.base_url!r})"

    def close(self) -> None:
        self.transport.close()

    # Generic verbs: return the parsed document (None for an empty 204). A GET may have been
    # answered already, read ahead for the step asking it (early_reads.py).
    early = None

    def get(self, path: str, params: Mapping | None = None) -> dict | None:
        send = partial(self.transport.request, "GET", path, params=params)
        return send() if self.early is None else self.early.get(path, params, send)

    def post(self, path: str, body: dict) -> dict | None:
        return self.transport.request("POST", path, body=body)

    def patch(self, path: str, body: dict) -> dict | None:
        return self.transport.request("PATCH", path, body=body)

    def delete(self, path: str) -> None:
        self.transport.request("DELETE", path)

    # Paging

    def iter_pages(self, path: str, params: Mapping | None = None, include=(),
                   read_ahead: bool = False) -> Iterator[Page]:
        """Yield every page of a list, following links.next.
        `read_ahead`: read up to `read_ahead_pages` pages ahead while the caller works on this
        one (pco/prefetch.py); close the iterator when leaving it early, to join the thread."""
        query = {"per_page": PER_PAGE, **(params or {})}
        if include:
            query["include"] = ",".join(include)
        pages = self._linked_pages(path, query)
        return self.read_ahead(pages) if read_ahead else pages

    def read_ahead(self, *listings: Iterator[Page]) -> Iterator[Page]:
        """The pages of one listing's page generators (one, or several read side by side), read
        ahead on threads of their own, together `read_ahead_pages` ahead (pco/prefetch.py)."""
        return prefetch.read_ahead_all(listings, self.read_ahead_pages)

    def _linked_pages(self, path: str, query: dict) -> Iterator[Page]:
        """One request per page asked for (prefetch.Producer counts on it)."""
        offset = int(query.get("offset") or 0)
        target = path
        while target:
            body = self._expect_document(self.get(target, query), path)
            next_target, query = next_link(body), None
            # A link pointing back at the page we just read would loop forever.
            next_target = next_target if next_target != target else None
            records = as_list(resolve_document(body))
            yield Page(records=records, total_count=total_count(body), offset=offset)
            offset += len(records)
            target = next_target

    def get_resource(self, path: str, include=(), params: Mapping | None = None) -> dict:
        """GET one resource with its includes resolved."""
        params = dict(params or {}, **({"include": ",".join(include)} if include else {}))
        body = self._expect_document(self.get(path, params or None), path)
        return _single_resource(body, path)

    # Typed reads (the typed iterators yield Pages, for progress reporting)

    def iter_people(self, updated_since: datetime | None = None, read_ahead: bool = False,
                    where: Mapping | None = None, households: bool = False) -> Iterator[Page]:
        """`where`: filters PCO's people listing accepts ({"where[membership]": ...});
        `households`: each person's households included (pull/staged_households.py)."""
        params, include = dict(where or {}), PERSON_INCLUDES + ("households",) * households
        if updated_since is None:  # all of them: by created_at, never past the deep offset
            return iter_by_created_at(self, "/people/v2/people", params, include, read_ahead)
        params.update({"where[updated_at][gte]": format_timestamp(updated_since),
                       "order": "updated_at"})
        return self.iter_pages("/people/v2/people", params, include=include,
                               read_ahead=read_ahead)

    def iter_list_people(self, list_id, where: Mapping | None = None) -> Iterator[Page]:
        """The people of a PCO list (its latest run), with a person's usual includes."""
        return self.iter_pages(f"/people/v2/lists/{_segment(list_id)}/people", dict(where or {}),
                               include=PERSON_INCLUDES)

    def iter_lists(self) -> Iterator[Page]:
        return self.iter_pages("/people/v2/lists", {"order": "name"})

    def run_list(self, list_id) -> None:
        """PCO refreshes the list in the background (204); `list.refreshed` tells when."""
        self.post(f"/people/v2/lists/{_segment(list_id)}/run", {})

    def iter_households(self, read_ahead: bool = False) -> Iterator[Page]:
        return iter_by_created_at(self, "/people/v2/households", {}, ("people",), read_ahead)

    def iter_groups(self, read_ahead: bool = False) -> Iterator[Page]:
        # Archived groups too, so a group archived in PCO is archived locally, not forgotten.
        return self.iter_pages("/groups/v2/groups",
                               {"where[archive_status]": "include", **GROUP_PARAMS},
                               include=GROUP_INCLUDES, read_ahead=read_ahead)

    def iter_group_memberships(self, group_id) -> Iterator[Page]:
        return self.iter_pages(_memberships_path(group_id), include=("person",))

    def iter_memberships_of(self, group_ids) -> Iterator[Page]:
        """The memberships of several groups, several requests in flight (in_flight.py): a
        page's `listing` is its group's index in `group_ids`; close when leaving early."""
        return read_in_flight(self, [(_memberships_path(group_id), {}, ("person",))
                                     for group_id in group_ids])

    def iter_person_contacts(self, person_id, kind: str) -> Iterator[Page]:
        """A person's contact points of one kind (`emails`: contact_kinds.WIRE_KINDS)."""
        if kind not in CONTACT_KINDS_BY_NAME:
            raise ValueError(f"not a kind of contact point: {kind!r}")
        return self.iter_pages(f"/people/v2/people/{_segment(person_id)}/{kind}")

    def iter_webhook_subscriptions(self) -> Iterator[Page]:
        """This app's webhook subscriptions, each with its authenticity secret."""
        return self.iter_pages("/webhooks/v2/webhook_subscriptions")

    def get_person(self, person_id) -> dict:
        path = f"/people/v2/people/{_segment(person_id)}"
        return self.get_resource(path, include=PERSON_INCLUDES)

    def get_household(self, household_id) -> dict:
        path = f"/people/v2/households/{_segment(household_id)}"
        return self.get_resource(path, include=("people",))

    def get_group(self, group_id) -> dict:
        return self.get_resource(f"/groups/v2/groups/{_segment(group_id)}",
                                 include=GROUP_INCLUDES, params=GROUP_PARAMS)

    def iter_tag_groups(self) -> Iterator[Page]:
        return self.iter_pages("/groups/v2/tag_groups")

    def iter_tags(self, tag_group_ids) -> Iterator[Page]:
        """Several tag groups' tags, several requests in flight (in_flight.py); close it."""
        return read_in_flight(self, [(f"/groups/v2/tag_groups/{_segment(i)}/tags", {}, ())
                                     for i in tag_group_ids])

    def iter_group_tags(self, group_id) -> Iterator[Page]:
        return self.iter_pages(f"/groups/v2/groups/{_segment(group_id)}/tags")

    # Choice lists (marital statuses, ..., campuses): see profile_schemas.CHOICE_LISTS.

    def iter_choices(self, choice: ChoiceList) -> Iterator[Page]:
        return self.iter_pages(choice.path)

    def get_choice(self, choice: ChoiceList, choice_id) -> dict:
        return self.get_resource(f"{choice.path}/{_segment(choice_id)}")

    def create_choice(self, choice: ChoiceList, value: str) -> dict:
        """A new option of a list (PCO lets the API create every one of them)."""
        body = document(choice.pco_type, {choice.value_attribute: value})
        return self._write("POST", choice.path, body)

    def find_people_by_email(self, email: str) -> list[dict]:
        """Candidates whose name or email matches; the caller checks the exact address."""
        params = {"where[search_name_or_email]": email}
        pages = self.iter_pages("/people/v2/people", params, include=("emails",))
        return [record for page in pages for record in page.records]

    def find_people_by_phone(self, e164: str) -> list[dict]:
        """People holding this phone number: PCO matches the E.164 form exactly, punctuation
        discounted."""
        return self._find_people({"where[search_phone_number_e164]": e164})

    def find_people_by_last_name_and_birthdate(self, last_name: str, birthdate) -> list[dict]:
        """People with this last name (case-insensitive equality) born on `birthdate`."""
        return self._find_people({"where[last_name]": last_name,
                                  "where[birthdate]": birthdate.isoformat()})

    def find_people_by_name(self, first_name: str, last_name: str) -> list[dict]:
        return self._find_people({"where[first_name]": first_name,
                                  "where[last_name]": last_name})

    def _find_people(self, params: dict) -> list[dict]:
        pages = self.iter_pages("/people/v2/people", params, include=("emails",))
        return [record for page in pages for record in page.records]

    def test_connection(self) -> str:
        """The organization's name; raises PCOAuthError etc. when the credentials are wrong."""
        return self.organization()["name"]

    def organization(self) -> dict:
        """{"pco_id", "name"} of the organization these credentials reach."""
        organization = self.get_resource("/people/v2")
        name = (organization.get("attributes") or {}).get("name")
        pco_id = organization.get("id")
        if (organization.get("type") != "Organization" or not isinstance(name, str)
                or not isinstance(pco_id, (str, int))):
            raise PCOBadResponse("GET /people/v2 did not return the Organization")
        return {"pco_id": str(pco_id), "name": name}

    def token_user(self) -> dict:
        """{"pco_id", "name", "people_permissions", "site_administrator"} of the PCO user the
        token acts as (GET /people/v2/me)."""
        me = self.get_resource("/people/v2/me")
        attributes = me.get("attributes") or {}
        if me.get("type") != "Person":
            raise PCOBadResponse("GET /people/v2/me did not return a Person")
        return {"pco_id": str(me.get("id")), "name": attributes.get("name") or "",
                "people_permissions": attributes.get("people_permissions"),
                "site_administrator": bool(attributes.get("site_administrator"))}

    # Writes: each takes attributes from a schemas.dump_* function, returns the new resource.

    def create_person(self, attributes: dict, relationships: dict | None = None) -> dict:
        body = document("Person", attributes, relationships)
        return self._write("POST", "/people/v2/people", body)

    def update_person(self, person_id, attributes: dict,
                      relationships: dict | None = None) -> dict:
        """`relationships`: choices named by id (profile_schemas.choice_write)."""
        body = document("Person", attributes, relationships, resource_id=person_id)
        return self._write("PATCH", f"/people/v2/people/{_segment(person_id)}", body)

    def create_contact(self, person_id, collection: str, type_: str, attributes: dict) -> dict:
        """A person's new email, phone number or address (`collection` "emails", type "Email")."""
        path = f"/people/v2/people/{_segment(person_id)}/{collection}"
        return self._write("POST", path, document(type_, attributes))

    def update_contact(self, collection: str, type_: str, contact_id, attributes: dict) -> dict:
        return self._update(type_, f"/people/v2/{collection}/{_segment(contact_id)}",
                            contact_id, attributes)

    def delete_person(self, person_id) -> None:
        """Delete a person (an erasure); PCO refuses one who is in another of its apps."""
        self.delete(f"/people/v2/people/{_segment(person_id)}")

    def delete_contact(self, collection: str, contact_id) -> None:
        self.delete(f"/people/v2/{collection}/{_segment(contact_id)}")

    def create_household(self, name: str, person_ids, primary_contact_id) -> dict:
        relationships = {
            "people": {"data": [ref("Person", person_id) for person_id in person_ids]},
            "primary_contact": {"data": ref("Person", primary_contact_id)},
        }
        body = document("Household", {"name": name}, relationships)
        return self._write("POST", "/people/v2/households", body)

    def add_household_member(self, household_id, person_id) -> dict:
        path = f"/people/v2/households/{_segment(household_id)}/household_memberships"
        relationships = {"person": {"data": ref("Person", person_id)}}
        return self._write("POST", path, document("HouseholdMembership", {}, relationships))

    def create_group_membership(self, group_id, person_id, role: str = "member",
                                joined_at: date | datetime | str | None = None) -> dict:
        attributes = {"person_id": str(person_id), "role": role}
        if joined_at is not None:
            attributes["joined_at"] = _format_joined_at(joined_at)
        path = f"/groups/v2/groups/{_segment(group_id)}/memberships"
        return self._write("POST", path, document("Membership", attributes))

    def update_group_membership(self, group_id, membership_id, role: str) -> dict:
        path = f"/groups/v2/groups/{_segment(group_id)}/memberships/{_segment(membership_id)}"
        return self._update("Membership", path, membership_id, {"role": role})

    def delete_group_membership(self, group_id, membership_id) -> None:
        self.delete(f"/groups/v2/groups/{_segment(group_id)}/memberships/"
                    f"{_segment(membership_id)}")

    def iter_household_memberships(self, household_id) -> Iterator[Page]:
        return self.iter_pages(
            f"/people/v2/households/{_segment(household_id)}/household_memberships")

    def delete_household_membership(self, household_id, membership_id) -> None:
        self.delete(f"/people/v2/households/{_segment(household_id)}/household_memberships/"
                    f"{_segment(membership_id)}")

    # Internals

    def _update(self, type_: str, path: str, resource_id, attributes: dict) -> dict:
        return self._write("PATCH", path, document(type_, attributes, resource_id=resource_id))

    def _write(self, method: str, path: str, body: dict) -> dict:
        response = self._expect_document(self.transport.request(method, path, body=body), path)
        return _single_resource(response, path)

    @staticmethod
    def _expect_document(body, path: str) -> dict:
        if not isinstance(body, dict) or "data" not in body:
            raise PCOBadResponse(f"PCO returned no JSON:API data for {path}")
        return body


def _single_resource(body: dict, path: str) -> dict:
    resource = resolve_document(body)
    if not isinstance(resource, dict):
        raise PCOBadResponse(f"PCO returned a list where one resource was expected ({path})")
    return resource


def _memberships_path(group_id) -> str:
    return f"/groups/v2/groups/{_segment(group_id)}/memberships"


def _format_joined_at(value) -> str:
    if isinstance(value, datetime):
        return format_timestamp(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)
