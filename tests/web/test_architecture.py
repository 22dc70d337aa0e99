"""The architecture, checked: every import in the package points the way DESIGN.md draws it.

blueprints and CLI -> jobs -> services -> (models, pco); inside services, runs and webhooks ->
pull and push -> rules, and the directory -> rules. A wrong-way import fails here, with the
file and line to look at.
"""
import ast
import pathlib

import pytest

import pco_sandbox
import pcosync

PACKAGE = pathlib.Path(pcosync.__file__).parent
SANDBOX = pathlib.Path(pco_sandbox.__file__).parent
SERVICES = "pcosync.services"
BLUEPRINTS = ("pcosync.auth", "pcosync.sync", "pcosync.webhooks", "pcosync.directory",
              "pcosync.home", "pcosync.health")
UPWARD = ("pcosync.jobs", "pcosync.cli", "pcosync.devrun",
          ) + BLUEPRINTS


def services(*parts):
    return tuple(f"{SERVICES}.{part}" for part in parts)


# The rules that touch no database and no app: they are tested with plain values.
PURE_RULES = ("contact_kinds", "families", "state", "three_way")

# (importing modules, modules they must not import, why)
FORBIDDEN = [
    (SERVICES, UPWARD, "services never enqueue, render or read requests"),
    ("pcosync.pco", ("pcosync.models", SERVICES, "pcosync.extensions") + UPWARD,
     "the PCO client knows HTTP and nothing of the database"),
    ("pcosync.models", (SERVICES, "pcosync.pco", "pco_sandbox") + UPWARD,
     "models keep their own invariants and know nothing of PCO's wire format"),
    (f"{SERVICES}.rules", services("pull", "push", "runs", "webhooks", "directory",
                                   "connection"),
     "the domain rules depend on nothing above them"),
    (f"{SERVICES}.pull", services("push", "runs", "webhooks", "directory"),
     "pull is below runs and webhooks, beside push"),
    (f"{SERVICES}.push", services("pull", "runs", "webhooks", "directory"),
     "push is below runs and webhooks, beside pull"),
    (f"{SERVICES}.directory", services("pull", "push", "runs", "webhooks") + ("pcosync.pco",),
     "the directory edits local data; syncing is the engine's job"),
    (SERVICES, ("pco_sandbox",), "the engine never needs the sandbox (a test double)"),
    *((f"{SERVICES}.rules.{name}", ("pcosync.extensions", "flask"),
       "a pure rule: plain data in, plain data out, no database or app") for name in PURE_RULES),
]


def package_modules(package=PACKAGE):
    """(where, module name, whether it is a package, source) for every module."""
    for path in sorted(package.rglob("*.py")):
        parts = list(path.relative_to(package.parent).with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        name = ".".join(parts[:-1] if is_package else parts)
        yield str(path.relative_to(package.parent)), name, is_package, path.read_text("utf-8")


def imports_in(source, name, is_package):
    """(line, absolute module) for every import, those inside functions too."""
    package = name if is_package else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            yield from ((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = absolute(package, node.level, node.module)
            yield node.lineno, base
            # `from ... import jobs` imports a module, not an attribute
            yield from ((node.lineno, f"{base}.{alias.name}") for alias in node.names)


def absolute(package, level, module):
    if level == 0:
        return module
    parts = package.split(".")
    return ".".join(parts[:len(parts) - level + 1] + ([module] if module else []))


def within(name, prefix):
    return name == prefix or name.startswith(prefix + ".")


def violations(modules):
    found = []
    for where, name, is_package, source in modules:
        for line, imported in imports_in(source, name, is_package):
            found += [f"{where}:{line} imports {imported}: {why}"
                      for scope, targets, why in FORBIDDEN
                      if within(name, scope) and any(within(imported, t) for t in targets)]
    return found


def test_every_import_points_the_way_the_design_draws_it():
    assert violations(package_modules()) == []


def test_the_sandbox_imports_nothing_of_the_app():
    """The sandbox stands in for PCO: it must not lean on the code it is a double for."""
    found = [f"{where}:{line} imports {imported}"
             for where, name, is_package, source in package_modules(SANDBOX)
             for line, imported in imports_in(source, name, is_package)
             if within(imported, "pcosync")]
    assert found == []


@pytest.mark.parametrize("module,source,expected", [
    ("pcosync.services.runs.probe", "from ... import jobs\n", "pcosync.jobs"),
    ("pcosync.services.runs.probe", "from ...jobs import queue_delivery\n", "pcosync.jobs"),
    ("pcosync.services.webhooks.probe", "import pcosync.jobs\n", "pcosync.jobs"),
    ("pcosync.services.pull.probe", "def later():\n    from ...sync import bp\n", "pcosync.sync"),
    ("pcosync.services.rules.probe", "from ..push.people import agree\n", "pcosync.services.push"),
    ("pcosync.pco.probe", "from ..models import Person\n", "pcosync.models"),
    ("pcosync.models.probe", "from ..services.rules import merge\n", "pcosync.services"),
    ("pcosync.services.rules.state", "from ...extensions import db\n", "pcosync.extensions"),
    ("pcosync.services.push.probe", "from ...cli import runs\n", "pcosync.cli"),
])
def test_a_wrong_way_import_is_caught(module, source, expected):
    """The check itself can fail: each of these wrong-way imports is reported."""
    found = violations([("probe.py", module, False, source)])
    assert found and all(expected in line for line in found)
