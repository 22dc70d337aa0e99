"""PCO's files, with no database: what identifies a photo or a custom-field file, PCO's
generated "no photo" images, downloads from PCO's file hosts, and the two-step photo upload
(the file to PCO's upload service, then the person's or household's `avatar` set to the
returned file id).
"""
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

import requests

from .errors import PCOAuthError, PCOBadResponse, PCONotFound, PCOUnavailable, PCOValidationError
from .jsonapi import document, path_segment as _segment

# PCO's generated images stand for "no photo": initials on a colour, or a grey silhouette.
GENERATED_PHOTO_MARKS = ("/uploads/initials/", "/static/no_photo")
DOWNLOAD_TIMEOUT = 60
UPLOAD_TIMEOUT = 300  # pypco's upload timeout: a photo on a slow line


def is_generated_photo(url):
    """Whether `url` is one of PCO's generated images (never a photo of anyone)."""
    path = urlsplit(url or "").path
    return not path or any(mark in path for mark in GENERATED_PHOTO_MARKS)


def photo_identity(url):
    """A photo's address without its query (PCO adds a size, a signature or a cache buster
    there): the same photo answered under another query is not downloaded again."""
    parts = urlsplit(url)
    return f"photo:{parts.netloc.lower()}{parts.path}"


def file_identity(datum_id, file_name, size):
    """A custom-field file: its datum with its name and size (its address is signed and
    changes while the file does not)."""
    return f"file:{datum_id}:{size if size is not None else '?'}:{file_name or ''}"


@dataclass
class Download:
    content: bytes
    content_type: str


class Downloader:
    """Fetches PCO's files (not API requests: no credentials are sent to a file host), at most
    one every `interval` seconds so a large directory does not flood anyone."""

    def __init__(self, interval=0.0, timeout=DOWNLOAD_TIMEOUT, sleep=time.sleep,
                 clock=time.monotonic):
        self.interval, self.timeout = float(interval or 0), timeout
        self.sleep, self.clock = sleep, clock
        self.session = requests.Session()
        self.session.headers["User-Agent"] = "pcosync"
        self._last = None
        self.count = 0

    def fetch(self, url) -> Download:
        self._pace()
        try:
            response = self.session.get(url, timeout=self.timeout)
        except requests.RequestException as exc:
            raise PCOUnavailable(f"Could not download {_where(url)}: {type(exc).__name__}")
        if response.status_code == 404:
            raise PCONotFound(f"{_where(url)} answered 404: the file is gone", 404)
        if response.status_code >= 400:
            raise PCOUnavailable(f"{_where(url)} answered {response.status_code}",
                                 response.status_code)
        self.count += 1
        kind = response.headers.get("Content-Type", "application/octet-stream")
        return Download(response.content, kind.split(";")[0].strip())

    def _pace(self):
        if self._last is not None and self.interval:
            wait = self._last + self.interval - self.clock()
            if wait > 0:
                self.sleep(wait)
        self._last = self.clock()

    def close(self):
        self.session.close()


def _where(url):
    """A file's host and path for a message: never its query, which may hold a signature."""
    parts = urlsplit(url)
    return f"{parts.netloc}{parts.path}"


def upload_file(client, upload_url, file_name, content, content_type):
    """POST the file to PCO's upload service (multipart, field `file`); its answer is a list of
    File resources, whose id is what PCO's `avatar` (or a file field) takes. Never retried: a
    second POST would upload it twice."""
    try:
        response = client.transport.session.post(
            upload_url, files={"file": (file_name, content, content_type)},
            timeout=UPLOAD_TIMEOUT)
    except requests.RequestException as exc:
        raise PCOUnavailable(f"PCO's upload service did not answer: {type(exc).__name__}")
    _raise_for_upload_status(response)
    try:
        return str(response.json()["data"][0]["id"])
    except (ValueError, KeyError, IndexError, TypeError):
        raise PCOBadResponse("PCO's upload service answered without a file id")


def _raise_for_upload_status(response):
    status = response.status_code
    if status in (401, 403):
        raise PCOAuthError("PCO's upload service refused the credentials", status)
    if 400 <= status < 500:
        raise PCOValidationError(f"PCO's upload service refused the file ({status})", status)
    if status >= 500:
        raise PCOUnavailable(f"PCO's upload service answered {status}", status)


def set_person_avatar(client, person_id, file_id) -> dict:
    """PATCH the person's avatar with an uploaded file's id; PCO answers the person, whose
    `avatar` is then the photo's address."""
    body = document("Person", {"avatar": file_id}, resource_id=person_id)
    return client._write("PATCH", f"/people/v2/people/{_segment(person_id)}", body)


def set_household_avatar(client, household_id, file_id) -> dict:
    """The same for a household: PCO's docs list `avatar` among a household's assignable
    attributes on update ("File UUID", see docs/admin/media.md)."""
    body = document("Household", {"avatar": file_id}, resource_id=household_id)
    return client._write("PATCH", f"/people/v2/households/{_segment(household_id)}", body)
