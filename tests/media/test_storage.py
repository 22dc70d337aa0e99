"""The storage interface on both backends: a folder, and a real S3 API on loopback (moto's
server, the same protocol s3fs speaks to AWS)."""
import boto3
import pytest
from moto.server import DomainDispatcherApplication, create_backend_app

from pco_sandbox.server import start_sandbox_in_thread
from pcosync.services.media.storage import MediaStorage, new_key

BUCKET = "church-media"


@pytest.fixture(scope="module")
def s3_endpoint():
    """moto's S3 server (its own WSGI app, as `moto_server` serves it) on a free loopback
    port, with the bucket made, for this module. Served by the sandbox's threaded server,
    which stops at once (moto's ThreadedMotoServer takes seconds)."""
    server = start_sandbox_in_thread(DomainDispatcherApplication(create_backend_app))
    endpoint = server.url
    with pytest.MonkeyPatch.context() as env:
        for name, value in (("AWS_ACCESS_KEY_ID", "testing"), ("AWS_SECRET_ACCESS_KEY", "testing"),
                            ("AWS_DEFAULT_REGION", "us-east-1")):
            env.setenv(name, value)
        boto3.client("s3", endpoint_url=endpoint).create_bucket(Bucket=BUCKET)
        yield endpoint
    server.stop()


@pytest.fixture(params=["folder", "s3"])
def media_storage(request, tmp_path):
    if request.param == "folder":
        return MediaStorage(f"file://{tmp_path}/media")
    endpoint = request.getfixturevalue("s3_endpoint")
    return MediaStorage(f"s3://{BUCKET}/pcosync", endpoint_url=endpoint)


def test_put_read_and_delete_on_both_backends(media_storage):
    key = new_key("person photo", ".jpg")
    assert key.startswith("person-photo/") and key.endswith(".jpg")
    assert not media_storage.exists(key)
    media_storage.put(key, b"\xff\xd8\xff\xe0 a photo")
    assert media_storage.exists(key)
    assert media_storage.read(key) == b"\xff\xd8\xff\xe0 a photo"
    media_storage.put(key, b"replaced")
    assert media_storage.read(key) == b"replaced"
    media_storage.delete(key)
    media_storage.delete(key)  # a retried delete is no error
    assert not media_storage.exists(key)
    with pytest.raises(FileNotFoundError):
        media_storage.read(key)
