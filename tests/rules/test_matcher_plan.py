"""The matcher's one read of a page's candidates (by PCO id, by email, by unlinked name) can go
through the indexes on both databases. Written as one WHERE with OR, the email branch's
subquery left PostgreSQL no way but to read every person, for every page: a first pull of
100,000 people got slower with each page it wrote."""
from sqlalchemy import insert, text

from pcosync.extensions import db
from pcosync.models import Email, Person
from pcosync.services.rules.matcher import _candidates

HELD = 200


def fill(count):
    db.session.execute(insert(Person), [
        {"first_name": f"First{n}", "last_name": f"Last{n}", "search_name": f"first{n} last{n}",
         "pco_id": str(10_000_000 + n) if n % 2 else None} for n in range(count)])
    ids = db.session.scalars(text("SELECT id FROM people")).all()
    db.session.execute(insert(Email), [
        {"person_id": person_id, "address": f"p{person_id}@example.org",
         "normalized": f"p{person_id}@example.org"} for person_id in ids])
    db.session.commit()


def plan(statement):
    """The database's plan for `statement`. PostgreSQL is told to avoid reading whole tables
    (a few hundred rows are cheaper to scan than to look up), so a scan shown is one it has
    no way around."""
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql("SET LOCAL enable_seqscan = off")
    compiled = statement.compile(db.engine, compile_kwargs={"render_postcompile": True})
    params = compiled.params
    if compiled.positiontup is not None:  # SQLite's placeholders are positional
        params = tuple(params[name] for name in compiled.positiontup)
    explain = "EXPLAIN " if connection.dialect.name == "postgresql" else "EXPLAIN QUERY PLAN "
    rows = connection.exec_driver_sql(explain + str(compiled), params)
    return "\n".join(str(row[-1]) for row in rows)


def test_a_pages_candidates_are_read_through_the_indexes(app):
    fill(HELD)
    pco_ids = {str(10_000_000 + n) for n in range(1, 100, 2)}
    emails = {f"p{n}@example.org" for n in range(1, 50)}
    names = {f"first{n} last{n}" for n in range(0, 100, 2)}

    shown = plan(_candidates(pco_ids, emails, names))

    assert "Seq Scan on people" not in shown  # PostgreSQL
    assert "SCAN people" not in shown  # SQLite
    if db.engine.dialect.name == "sqlite":  # its planner goes by rules, not by rows held
        # each way on its own index: the unlinked by name, not by walking every unlinked
        # person in the PCO ids' index
        assert "ix_emails_normalized" in shown and "ix_people_search_name" in shown
    db.session.rollback()
    found = db.session.scalars(_candidates(pco_ids, emails, names)).all()
    # 50 linked by id; 49 by email, 24 of them among those; 50 unlinked by name, 25 of them
    # among those by email: each once
    assert len(found) == len({person.id for person in found}) == 50 + 49 - 24 + 50 - 25
