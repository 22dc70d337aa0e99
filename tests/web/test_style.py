"""The linter configured in setup.cfg runs with the tests."""
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]


def test_flake8_is_clean():
    result = subprocess.run(
        [sys.executable, "-m", "flake8", "pcosync", "tests", "benchmarks", "wsgi.py"],
        cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
