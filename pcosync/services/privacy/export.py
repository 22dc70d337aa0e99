"""Export everything held about one person: a zip holding person.json (one key per kind of
personal data, kinds.py) and, beside it, the files of the kinds that have some."""
import io
import json
import zipfile

from ...models import PEOPLE_SENSITIVE, SENSITIVE_FIELDS, utcnow
from .kinds import KINDS

FORMAT = "pcosync person export 1"


def export_data(person, can):
    """{kind name: data} for the kinds `can(permission)` allows, with what was left out said."""
    data = {"format": FORMAT, "exported_at": utcnow().isoformat(), "person_id": person.id,
            "left_out": []}
    for kind in KINDS:
        if kind.permission and not can(kind.permission):
            data["left_out"].append(kind.label)
            continue
        data[kind.name] = kind.export(person)
    if not can(PEOPLE_SENSITIVE):
        _without_sensitive(data)
    return data


def _without_sensitive(data):
    """Sensitive fields (medical notes) and their history only for those who may see them."""
    for field in SENSITIVE_FIELDS:
        data.get("profile", {}).pop(field, None)
    if "change_history" in data:
        data["change_history"] = [row for row in data["change_history"]
                                  if row["field"] not in SENSITIVE_FIELDS]
    data["left_out"].append("Sensitive fields (medical notes) and their history")


def archive_name(person):
    return f"person-{person.id}-export.zip"


def export_archive(person, can):
    """The zip's bytes: person.json, and files/<kind>/<name> for each file a kind holds."""
    data = export_data(person, can)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("person.json", json.dumps(data, indent=2, ensure_ascii=False))
        for kind in KINDS:
            if kind.files is None or kind.name not in data:
                continue
            for name, content in kind.files(person):
                archive.writestr(f"files/{kind.name}/{name}", content)
    return buffer.getvalue()
