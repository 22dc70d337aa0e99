"""Webhook event names are written only in the registry (services/webhooks/events.py): an event
name, or a piece of one (an f-string's "people.v2.events."), anywhere else in the package fails
this scan. The sandbox and the tests may name events: they play PCO's part."""
import ast
import pathlib
import re

import pcosync

PACKAGE = pathlib.Path(pcosync.__file__).parent
REGISTRY = PACKAGE / "services" / "webhooks" / "events.py"
EVENT_NAME = re.compile(r"\b[a-z_]+\.v\d+\.events\b")


def event_names_in(source):
    """(line, text) of every string literal naming a webhook event, docstrings included."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and (
                EVENT_NAME.search(node.value)):
            yield node.lineno, node.value


def strays(root=PACKAGE, registry=REGISTRY):
    return [f"{path.relative_to(root.parent)}:{line}: {text[:80]!r}"
            for path in sorted(root.rglob("*.py")) if path != registry
            for line, text in event_names_in(path.read_text("utf-8"))]


def test_event_names_are_written_only_in_the_registry():
    assert strays() == [], "declare webhook events in services/webhooks/events.py"


def test_the_registry_itself_names_events():
    assert list(event_names_in(REGISTRY.read_text("utf-8")))


def test_a_stray_event_name_is_found(tmp_path):
    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    (package / "sub" / "x.py").write_text(
        'HANDLED = {"people.v2.events.person.updated": None}\n'
        'def name(kind):\n    return f"groups.v2.events.{kind}.created"\n')
    (package / "ok.py").write_text('"""People events."""\nNOTE = "v2 events"\n')
    found = strays(package, registry=None)
    assert [entry.split(":")[1] for entry in found] == ["1", "3"]
