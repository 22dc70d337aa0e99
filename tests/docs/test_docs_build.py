"""The documentation site builds with `mkdocs build --strict` (a broken link or a page missing
from the nav fails), and its generated references name every setting of config.py and every
`flask` command of the app (`flask pco ...` and the others)."""
import importlib.util
import os
import pathlib
import subprocess
import sys

import pytest
from mkdocs.exceptions import PluginError

from pco_sandbox.cli import sandbox_cli
from pcosync.cli import commands
from pcosync.config import Defaults

ROOT = pathlib.Path(__file__).resolve().parents[2]


def reference_hook():
    spec = importlib.util.spec_from_file_location("docs_reference_hook",
                                                  ROOT / "docs" / "hooks" / "reference.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def command_paths(command, path):
    yield path
    for name, subcommand in getattr(command, "commands", {}).items():
        yield from command_paths(subcommand, f"{path} {name}")


def test_the_site_builds_strict_and_references_every_setting_and_command(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-d", str(tmp_path)],
        cwd=ROOT, capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert result.returncode == 0, result.stdout + result.stderr

    settings = (tmp_path / "reference" / "settings" / "index.html").read_text()
    names = [name for name in vars(Defaults) if name.isupper()]
    assert [name for name in names if f"<code>{name}</code>" not in settings] == []
    cli = (tmp_path / "reference" / "cli" / "index.html").read_text()
    paths = [path for command in (*commands(), sandbox_cli)
             for path in command_paths(command, f"flask {command.name}")]
    assert {"flask pco pull", "flask pco webhooks setup", "flask users create"} <= set(paths)
    assert [path for path in paths if f"<code>{path}</code>" not in cli] == []


def test_a_setting_without_a_comment_fails_the_build():
    hook = reference_hook()
    source = ('ENV_SETTINGS = ("TOLD",)\n\n\nclass Defaults:\n'
              '    # What it does, and its unit.\n    TOLD = 1\n'
              '    BESIDE = "x"  # said beside it\n    UNTOLD = None\n')
    with pytest.raises(PluginError, match="UNTOLD"):
        hook.read_settings(source)

    told, beside = hook.read_settings(source.replace("    UNTOLD = None\n", ""))
    assert (told.name, told.default, told.comment, told.from_environment) == (
        "TOLD", "1", "What it does, and its unit.", True)
    assert (beside.comment, beside.from_environment) == ("Said beside it", False)
