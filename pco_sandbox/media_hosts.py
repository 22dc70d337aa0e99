"""The file hosts' and the upload service's state (the routes are in media.py)."""
import threading
import time
import uuid
from collections import Counter
from urllib.parse import urlsplit

from .errors import Invalid

FILE_HOSTS_PREFIX = "/sandbox-files"
UPLOAD_LIFETIME = 3600  # PCO's recorded answer: an upload expires about an hour later
PHOTO_URL = "https://avatars.planningcenteronline.com/uploads/{owner}/{key}/{name}"


class MediaHosts:
    """Uploaded files, the bytes behind uploaded photos, and what was fetched how often."""

    def __init__(self):
        self.uploads = {}  # file id -> (name, content type, bytes, expires at)
        self.photos = {}  # a photo's path -> (content type, bytes)
        self.fetches = Counter()  # path -> downloads
        self.generation = 0
        self.gone = set()  # paths whose file answers 404 (fault injection)
        self._lock = threading.Lock()

    def public_url(self, url, ctx):
        """A stored address as the API answers it: the sandbox's own host stands in."""
        if not url or not url.startswith("https://"):
            return url
        parts = urlsplit(url)
        query = parts.query or ("g=224x224%23" if "avatars" in parts.netloc else "")
        if self.generation:
            query = "&".join(filter(None, (query, f"v={self.generation}")))
        return (f"{ctx.base_url}{FILE_HOSTS_PREFIX}/{parts.netloc}{parts.path}"
                + (f"?{query}" if query else ""))

    def upload(self, name, content_type, content):
        file_id = f"us1-{uuid.uuid4().hex}"
        with self._lock:
            self.uploads[file_id] = (name, content_type, content, time.time() + UPLOAD_LIFETIME)
        return file_id

    def avatar_from(self, value, resource="Person"):
        """A person's or a household's `avatar` written as an upload's id becomes the photo's
        address (PCO's docs: both take "File UUID (see File Uploads)")."""
        if not isinstance(value, str) or value.startswith("https://"):
            return value
        with self._lock:
            upload = self.uploads.pop(value, None)
        if upload is None or upload[3] < time.time():
            raise Invalid("is not a valid uploaded file", parameter="avatar", resource=resource)
        name, content_type, content, _ = upload
        if not content_type.startswith("image/"):
            raise Invalid("must be an image", parameter="avatar", resource=resource)
        url = PHOTO_URL.format(owner=resource.lower(), key=uuid.uuid4().hex[:12],
                               name=name or "photo.jpg")
        with self._lock:
            self.photos[urlsplit(url).path] = (content_type, content)
        return url
