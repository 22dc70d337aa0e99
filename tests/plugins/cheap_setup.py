"""What nearly every test pays for and need not pay again within a test process: the same
templates compiled by each test's new app, the same ninety URL rules compiled into Python by
Werkzeug for each new app (about a quarter of a small test's CPU), and the same password hashed
and checked at OWASP's strength (about 25 ms of CPU each) for every admin a test makes and
logs in.

Each shortcut keeps the behaviour under test: the bytecode cache is keyed by each template's
source (an edit is compiled afresh); a rule's URL builder is keyed by everything Werkzeug builds
it from (the rule, its parsed parts, its defaults) and bound to each rule as Werkzeug binds it;
the hasher answers exactly what argon2 answers for a pair it has already worked out, with
argon2's own parameters, hashes and errors.
"""
import pytest
from jinja2 import BytecodeCache
from werkzeug.routing.rules import Rule

from pcosync import passwords


class SharedBytecode(BytecodeCache):
    """Compiled templates kept for the process, so each test's new app loads them, not
    compiles them (jinja checks each template's source checksum before using its entry)."""

    def __init__(self):
        self.compiled = {}

    def load_bytecode(self, bucket):
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket):
        self.compiled[bucket.key] = bucket.bytecode_to_string()


class RememberingHasher:
    """passwords.HASHER, remembering what it worked out: the first hash of each password is
    reused (salts differ only by chance, which no test relies on) and each (hash, password)
    check is answered as the first time, mismatch and all. Everything else is argon2's."""

    def __init__(self, hasher):
        self.hasher, self.hashes, self.checks = hasher, {}, {}

    def hash(self, password):
        if password not in self.hashes:
            self.hashes[password] = self.hasher.hash(password)
        return self.hashes[password]

    def verify(self, stored, password):
        key = (stored, password)
        if key not in self.checks:
            try:
                self.checks[key] = self.hasher.verify(stored, password)
            except Exception as error:  # the same refusal every time, as argon2 gave it
                self.checks[key] = error
        if isinstance(self.checks[key], Exception):
            raise self.checks[key]
        return self.checks[key]

    def __getattr__(self, name):
        return getattr(self.hasher, name)


BYTECODE = SharedBytecode()
COMPILE_BUILDER = Rule._compile_builder
BUILDERS = {}


def remembered_builder(rule, append_unknown=True):
    """Rule._compile_builder, once per distinct rule: the function it compiles takes the rule
    as its first argument (Werkzeug binds it with __get__), so it serves every app's copy."""
    key = (rule.rule, tuple(rule._trace), repr(sorted((rule.defaults or {}).items())),
           append_unknown)
    if key not in BUILDERS:
        BUILDERS[key] = COMPILE_BUILDER(rule, append_unknown)
    return BUILDERS[key]


@pytest.fixture(autouse=True, scope="session")
def remembered_url_builders():
    Rule._compile_builder = remembered_builder
    yield
    Rule._compile_builder = COMPILE_BUILDER


@pytest.fixture(autouse=True, scope="session")
def remembering_hasher():
    original = passwords.HASHER
    passwords.HASHER = RememberingHasher(original)
    yield passwords.HASHER
    passwords.HASHER = original


def share_compiled_templates(app):
    app.jinja_env.bytecode_cache = BYTECODE
