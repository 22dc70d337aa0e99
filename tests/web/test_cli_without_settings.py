"""`flask ... --help` works with no settings at all (no SECRET_KEY, no instance config), and a
command that would run says what is missing in one line, exit code 1, no traceback. Run as an
operator runs them: a subprocess with a clean environment, in an empty folder."""
import json
import os
import subprocess
import sys

import click
import pytest

from pcosync.cli import commands
from tests.support import ROOT


def groups(command, path=()):
    """The path of every command group, the top level's included."""
    if isinstance(command, click.Group):
        yield path
        for name, sub in command.commands.items():
            yield from groups(sub, path + (name,))


def every_group():
    yield ()
    for command in commands():
        yield from (path for path in groups(command, (command.name,)))


def run(args, tmp_path, python=("-m", "flask", "--app", "wsgi")):
    if os.path.exists(os.path.join(ROOT, "instance", "config.py")):
        pytest.skip("instance/config.py holds settings")
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(tmp_path),
           "PYTHONPATH": ROOT}
    return subprocess.run([sys.executable, *python, *args], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=60)


# Every group's help asked in ONE operator-like process (a clean environment, an empty
# folder): a Python process importing the app costs about a second, and there are twenty groups.
HELP_DRIVER = """
import contextlib, io, json, sys
from flask.cli import cli
answers = {}
for path in json.loads(sys.argv[1]):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            cli.main(args=["--app", "wsgi", *path, "--help"], prog_name="flask")
            code = 0
        except SystemExit as exit:
            code = exit.code or 0
    answers[" ".join(path)] = [code, out.getvalue(), err.getvalue()]
sys.__stdout__.write(json.dumps(answers))
"""


@pytest.fixture(scope="module")
def helps(tmp_path_factory):
    folder = tmp_path_factory.mktemp("operator")
    paths = [list(path) for path in every_group()]
    result = run([json.dumps(paths)], folder, python=("-c", HELP_DRIVER))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize("path", list(every_group()), ids=lambda path: " ".join(path) or "flask")
def test_every_group_shows_its_help_without_settings(path, helps):
    code, stdout, stderr = helps[" ".join(path)]
    assert code == 0, stderr
    assert "Traceback" not in stdout + stderr
    assert "Usage:" in stdout and "Commands:" in stdout
    if path:  # the group's own commands are listed
        group = next(c for c in commands() if c.name == path[0])
        for name in path[1:]:
            group = group.commands[name]
        assert all(name in stdout for name in group.commands)
    else:
        assert all(command.name in stdout for command in commands())


@pytest.mark.parametrize("args", [["pco", "pull", "people"], ["users", "create", "a@example.org"],
                                  ["run"]])
def test_a_command_that_would_run_says_what_is_missing(args, tmp_path):
    result = run(args, tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: SECRET_KEY is not set"), lines


def test_a_server_still_refuses_to_start_without_its_settings(tmp_path):
    """gunicorn imports wsgi:app: outside the command line the error is raised as ever."""
    result = run([], tmp_path, python=("-c", "import wsgi"))
    assert result.returncode == 1
    assert "pcosync.config.ConfigError: SECRET_KEY is not set" in result.stderr
