"""Registries, checked: a run kind is named only where it is declared. Anywhere else in the
package, a `RunKind.<MEMBER>` or a string equal to a stored kind ("Push People") is a second
table that a new kind would have to be added to; code that needs one kind takes the named
constant or a lookup from services/runs/kinds.py. Templates are not scanned."""
import ast

import pytest

from pcosync.models import RunKind
from tests.web.test_architecture import package_modules

RUN_KIND_HOMES = (
    "pcosync/models/enums.py",  # RunKind: the values SyncRun.kind stores
    "pcosync/services/runs/kinds.py",  # the registry
)
# The same words, meaning something else: (file, string) -> why it is not a run kind.
NOT_RUN_KINDS = {
    ("pcosync/templating.py", "People"): "the Directory menu",
    ("pcosync/templating.py", "Families"): "the Directory menu",
    ("pcosync/templating.py", "Groups"): "the Directory menu",
    ("pcosync/services/labels.py", "People"): "a heading over changed people",
    ("pcosync/services/labels.py", "Groups"): "a heading over changed groups",
}
KIND_VALUES = frozenset(kind.value for kind in RunKind)


def run_kinds_named(where, source):
    """(line, what) for every RunKind member or run-kind string written in `source`."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and _names_run_kind(node.value):
            found.append((node.lineno, f"RunKind.{node.attr}"))
        elif (isinstance(node, ast.Constant) and node.value in KIND_VALUES
              and (where, node.value) not in NOT_RUN_KINDS):
            found.append((node.lineno, repr(node.value)))
    return found


def _names_run_kind(node):
    """`RunKind`, or `models.RunKind` and the like."""
    return ((isinstance(node, ast.Name) and node.id == "RunKind")
            or (isinstance(node, ast.Attribute) and node.attr == "RunKind"))


def strays(modules):
    return [f"{where}:{line} names {what}: take it from services/runs/kinds.py"
            for where, _, _, source in modules if where not in RUN_KIND_HOMES
            for line, what in run_kinds_named(where, source)]


def test_run_kinds_are_named_only_in_their_registry():
    assert strays(package_modules()) == []


def test_the_exceptions_still_exist():
    """An exception that no longer matches anything is dropped, not kept as a loophole."""
    strings = {(where, node.value) for where, _, _, source in package_modules()
               for node in ast.walk(ast.parse(source)) if isinstance(node, ast.Constant)}
    assert set(NOT_RUN_KINDS) <= strings


@pytest.mark.parametrize("source,expected", [
    ("from ..models import RunKind\nKIND = RunKind.FULL_PUSH\n", "RunKind.FULL_PUSH"),
    ("from .. import models\nif kind == models.RunKind.PEOPLE:\n    pass\n", "RunKind.PEOPLE"),
    ("BUTTONS = ((\"Push People\", \"Push them\"),)\n", "'Push People'"),
    ("def later(run):\n    return run.kind == \"Quick Sync\"\n", "'Quick Sync'"),
    ("MENU = ((\"Directory\", \"People\"),)\n", "'People'"),
])
def test_a_stray_run_kind_is_caught(source, expected):
    """The check itself can fail: each of these is reported (outside the registry only)."""
    found = strays([("pcosync/services/review/probe.py", "probe", False, source)])
    assert found and all(expected in line for line in found)
    assert strays([("pcosync/services/runs/kinds.py", "probe", False, source)]) == []
