"""The linter configured in setup.cfg runs with the tests, over the whole tree. (In this process
through flake8's Application it took as long: linting, not starting Python, is the cost.)"""
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]


def test_flake8_is_clean():
    result = subprocess.run(
        [sys.executable, "-m", "flake8", "pcosync", "pco_sandbox", "tests", "benchmarks",
         "docs/hooks", "wsgi.py"],
        cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
