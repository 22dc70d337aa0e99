"""On PostgreSQL nothing is prepared on the server (config.engine_options). psycopg prepared a
statement after its fifth run, and PostgreSQL then kept a generic plan made while a first
pull's tables were small: each page's `pco_id IN (...)` read scanned every person (a read of
100 ids took 222 ms among 100,000 rows, 0.4 ms with nothing prepared) instead of the index."""
import pytest
from sqlalchemy import bindparam, create_engine, text

from pcosync.config import engine_options
from tests.support import postgres_url

PAGE_READ = text("SELECT oid FROM pg_class WHERE relname IN :names").bindparams(
    bindparam("names", expanding=True))


@pytest.mark.skipif(not postgres_url(), reason="needs the machine's PostgreSQL")
def test_a_statement_run_page_after_page_is_never_prepared_on_the_server():
    config = {"SQLALCHEMY_DATABASE_URI": postgres_url()}
    engine_options(config)
    engine = create_engine(postgres_url(), **config["SQLALCHEMY_ENGINE_OPTIONS"])
    try:
        with engine.connect() as conn:
            for page in range(10):
                conn.execute(PAGE_READ, {"names": [f"t{page}_{n}" for n in range(100)]}).all()
            prepared = conn.scalar(text("SELECT count(*) FROM pg_prepared_statements"))
    finally:
        engine.dispose()
    assert prepared == 0
