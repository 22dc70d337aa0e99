"""What nearly every test pays for and need not pay again within a test process: the same
templates compiled by each test's new app; the same 83 URL rules (and the PCO sandbox's 179)
parsed and compiled into Python by Werkzeug for each new app (about a quarter of a small test's
CPU); the same password hashed and checked at OWASP's strength (about 25 ms of CPU each) for
every admin a test makes and logs in; and the same SQL compiled again by each test's new
SQLAlchemy engine (an engine keeps its compiled statements and its dialect's first-connection
set-up; a new engine starts with none: about a third of a database test's CPU).

Each shortcut keeps the behaviour under test: the bytecode cache is keyed by each template's
source (an edit is compiled afresh); a rule's parse is keyed by its text and its map's set-up,
and each copy still gets converters of its own; a rule's URL builder is keyed by everything
Werkzeug builds it from (the rule, its parsed parts, its defaults) and bound to each rule as
Werkzeug binds it;
the hasher answers exactly what argon2 answers for a pair it has already worked out, with
argon2's own parameters, hashes and errors; the engine is shared only by apps given the same
URL and engine options, for this process's own test databases (as production keeps one engine
per process for its life), and each test still ends by closing its pooled connections.
"""
import pytest
from flask_sqlalchemy import SQLAlchemy
from jinja2 import BytecodeCache
from sqlalchemy.engine import make_url
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


COMPILE_RULE = Rule.compile
COMPILED_RULES = {}


def remembered_compile(rule):
    """Rule.compile, parsed once per distinct rule and map set-up: the parts (their regexes) and
    trace are the same for every app's copy; each copy gets converters of its own, made by its
    own map from the arguments the first parse gave them, and its builders as Werkzeug binds
    them."""
    urls = rule.map
    key = (rule.rule, rule.subdomain, rule.host, urls.host_matching, rule.merge_slashes,
           tuple(sorted((name, id(kind)) for name, kind in urls.converters.items())))
    if key not in COMPILED_RULES:
        COMPILED_RULES[key] = _parse_once(rule)
    parts, trace, converters = COMPILED_RULES[key]
    rule._parts, rule._trace = list(parts), list(trace)
    rule._converters = {variable: rule.get_converter(variable, *made)
                        for variable, made in converters.items()}
    rule.arguments.update(converters)
    rule._build = remembered_builder(rule, False).__get__(rule, None)
    rule._build_unknown = remembered_builder(rule, True).__get__(rule, None)


def _parse_once(rule):
    """Werkzeug's own compile, noting what each converter was made from."""
    made = {}

    def noting(variable, converter, args, kwargs):
        made[variable] = (converter, args, kwargs)
        return Rule.get_converter(rule, variable, converter, args, kwargs)

    rule.get_converter = noting
    try:
        COMPILE_RULE(rule)
    finally:
        del rule.get_converter
    return tuple(rule._parts), tuple(rule._trace), made


@pytest.fixture(autouse=True, scope="session")
def remembered_url_builders():
    Rule._compile_builder, Rule.compile = remembered_builder, remembered_compile
    yield
    Rule._compile_builder, Rule.compile = COMPILE_BUILDER, COMPILE_RULE


@pytest.fixture(autouse=True, scope="session")
def remembering_hasher():
    original = passwords.HASHER
    passwords.HASHER = RememberingHasher(original)
    yield passwords.HASHER
    passwords.HASHER = original


def share_compiled_templates(app):
    app.jinja_env.bytecode_cache = BYTECODE


MAKE_ENGINE = SQLAlchemy._make_engine
SHARED_URLS = set()  # this process's own test databases (database_urls in fixtures.py)
ENGINES = {}


def share_engines_for(urls):
    SHARED_URLS.update(plain(url) for url in urls)


def plain(url):
    return make_url(url).render_as_string(hide_password=False)


def shared_engine(extension, bind_key, options, app):
    """SQLAlchemy._make_engine, once per database URL and engine options of this process's own
    test databases; any other database (a migration test's empty one) gets an engine of its
    own, as before."""
    url = plain(options["url"])
    if url not in SHARED_URLS:
        return MAKE_ENGINE(extension, bind_key, options, app)
    key = (url, repr(sorted((name, repr(value)) for name, value in options.items()
                            if name != "url")))
    if key not in ENGINES:
        ENGINES[key] = MAKE_ENGINE(extension, bind_key, options, app)
    return ENGINES[key]


@pytest.fixture(autouse=True, scope="session")
def shared_engines():
    SQLAlchemy._make_engine = shared_engine
    yield
    SQLAlchemy._make_engine = MAKE_ENGINE
    for engine in ENGINES.values():
        engine.dispose()
