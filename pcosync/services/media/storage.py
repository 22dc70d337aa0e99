"""One storage interface for the files kept here, on fsspec: a folder (the default, under
instance/, or any `file://` URL) or an S3 bucket (`s3://bucket/prefix`, through s3fs; on
Heroku the dyno's disk is wiped at every restart). S3 credentials come from the environment
(AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, or an instance role), never from a page or a log.
"""
import os
import uuid

import fsspec
from fsspec.implementations.local import LocalFileSystem
from flask import current_app


class MediaStorage:
    """put / read / delete bytes by key under the root that MEDIA_URL names."""

    def __init__(self, url, endpoint_url=None):
        options = {}
        if url.startswith("s3://"):
            # A fresh instance: s3fs caches them per process, and tests start servers.
            options = {"skip_instance_cache": True}
            if endpoint_url:
                options["client_kwargs"] = {"endpoint_url": endpoint_url}
        self.url = url
        self.fs, self.root = fsspec.core.url_to_fs(url, **options)
        self.root = self.root.rstrip("/")
        self.local = isinstance(self.fs, LocalFileSystem)
        if self.local:
            self.fs.makedirs(self.root, exist_ok=True)

    def path(self, key):
        return f"{self.root}/{key}"

    def put(self, key, content: bytes):
        if self.local:
            self.fs.makedirs(os.path.dirname(self.path(key)), exist_ok=True)
        with self.fs.open(self.path(key), "wb") as out:
            out.write(content)

    def read(self, key) -> bytes:
        with self.fs.open(self.path(key), "rb") as stream:
            return stream.read()

    def exists(self, key) -> bool:
        return self.fs.exists(self.path(key))

    def delete(self, key):
        """Remove a file; one already gone is no error (a delete may be retried)."""
        try:
            self.fs.rm(self.path(key))
        except FileNotFoundError:
            pass


def new_key(kind, extension=""):
    """A key no other file has: a folder per kind, a random name (never a person's name)."""
    folder = kind.replace(" ", "-")
    return f"{folder}/{uuid.uuid4().hex[:2]}/{uuid.uuid4().hex}{extension}"


def media_url(app=None):
    app = app or current_app
    configured = app.config.get("MEDIA_URL")
    return configured or "file://" + os.path.join(app.instance_path, "media")


def storage(app=None):
    """The app's storage (one per app: s3fs keeps a connection pool)."""
    app = app or current_app
    held = app.extensions.get("pcosync_media_storage")
    if held is None or held.url != media_url(app):
        held = MediaStorage(media_url(app), app.config.get("MEDIA_S3_ENDPOINT_URL"))
        app.extensions["pcosync_media_storage"] = held
    return held
