"""PCO's file hosts and upload service, standing in for them.

- Photos and custom-field files live on other hosts than the API (avatars.planningcenteronline
  .com, PCO's S3 bucket), public, with a query PCO may change (a size, a signature). The
  sandbox serves them under FILE_HOSTS_PREFIX/<host>/<path>, so the address the API answers
  keeps PCO's host and path; `resign` changes every address's query, not the bytes.
- The upload service (PCO: POST https://upload.planningcenteronline.com/v2/files, multipart
  field `file`, Basic auth) answers 201 with `{"data": [{"type": "File", "id": ...}]}`; the id
  is what a person's `avatar` takes, after which `avatar` reads as the photo's address.
"""
import hashlib
import io
import time

from flask import Blueprint, Response, request

from .media_hosts import FILE_HOSTS_PREFIX, UPLOAD_LIFETIME
from .pipeline import json_body, runtime

UPLOAD_PATH = "/upload/v2/files"

bp = Blueprint("sandbox_media", __name__)


def media_of(rt):
    return rt.media


@bp.get("/sandbox/media")
def media_state():
    """For tests and benchmarks: how often each file was downloaded, what was uploaded."""
    media = runtime().media
    return json_body({"fetches": dict(media.fetches), "uploads": len(media.uploads),
                      "photos": sorted(media.photos), "generation": media.generation,
                      "gone": sorted(media.gone)})


@bp.post("/sandbox/media")
def change_media():
    """{"resign": true}: every file's address gets a new query (a new signature), the bytes
    stay; {"forget_fetches": true}: the counts start again; {"gone": [path, ...]}: those files
    answer 404 from now on, as a file removed from PCO's storage does ({"gone": []}: none)."""
    body = request.get_json(silent=True) or {}
    media = runtime().media
    if isinstance(body.get("gone"), list):
        media.gone = {str(path) for path in body["gone"]}
    if body.get("resign"):
        media.generation += 1
    if body.get("forget_fetches"):
        media.fetches.clear()
    return media_state()


@bp.post(UPLOAD_PATH)
def upload_file():
    """Behind the pipeline's Basic auth, like PCO's upload service."""
    stream = request.files.get("file")
    if stream is None:
        return json_body({"errors": [{"status": "422", "detail": "file is required"}]}, 422)
    content = stream.read()
    content_type = stream.mimetype or "application/octet-stream"
    file_id = media_of(runtime()).upload(stream.filename, content_type, content)
    expires = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + UPLOAD_LIFETIME))
    attributes = {"source_ip": request.remote_addr, "md5": hashlib.md5(content).hexdigest(),
                  "content_type": content_type, "file_size": len(content),
                  "name": stream.filename, "expires_at": expires}
    return json_body({"data": [{"type": "File", "id": file_id, "attributes": attributes}]}, 201)


@bp.get(FILE_HOSTS_PREFIX + "/<host>/<path:path>")
def serve_file(host, path):
    """A file host: public (no auth, no rate limit), bytes only."""
    rt = runtime()
    media = media_of(rt)
    full_path = "/" + path
    media.fetches[full_path] += 1
    if full_path in media.gone:
        return Response("<Error><Code>NoSuchKey</Code></Error>", status=404,
                        content_type="application/xml")
    held = media.photos.get(full_path)
    if held is not None:
        return Response(held[1], content_type=held[0])
    if "/uploads/initials/" in full_path or "/static/" in full_path:
        return Response(_image(full_path, "PNG"), content_type="image/png")
    if host.startswith("avatars."):
        if not _photo_known(rt, f"https://{host}{full_path}"):
            return Response("Not Found", status=404, content_type="text/plain")
        return Response(_image(full_path, "JPEG"), content_type="image/jpeg")
    datum = _datum_with(rt, f"https://{host}{full_path}")
    if datum is None:
        return Response("<Error><Code>NoSuchKey</Code></Error>", status=404,
                        content_type="application/xml")
    return Response(_document(full_path, datum.get("file_size") or 1000),
                    content_type=datum.get("file_content_type") or "application/pdf")


def _photo_known(rt, url):
    db = rt.store.db
    return any(record.get("avatar") == url
               for record in [*db.people.values(), *db.households.values()])


def _datum_with(rt, url):
    return next((datum for datum in rt.store.db.field_data.values()
                 if datum.get("file_url") == url), None)


def _image(path, image_format):
    from PIL import Image

    digest = hashlib.sha256(path.encode()).digest()
    out = io.BytesIO()
    Image.new("RGB", (48, 48), tuple(digest[:3])).save(out, image_format)
    return out.getvalue()


def _document(path, size):
    head = b"%PDF-1.4\n% " + hashlib.sha256(path.encode()).hexdigest().encode() + b"\n"
    return (head + b"0" * max(0, int(size) - len(head)))[:max(int(size), len(head))]
