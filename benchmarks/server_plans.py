"""A page's read by 100 PCO ids as the table grows, with statements prepared on the server (what
psycopg does after a statement's fifth run) and without (what pcosync does: config.py's
engine_options). Prepared, PostgreSQL keeps a generic plan made while the table was small, a
scan of every row; unprepared, each read is planned for the table as it is and uses the index.

    .venv/bin/python -m benchmarks.server_plans [--rows 100000]
        [--database-url postgresql://postgres@127.0.0.1:5432/test] [--json]

It fills a scratch table a page of 100 at a time, as a first pull does, timing the read of the
next page's ids before each insert; prints the read's milliseconds at a few sizes.
"""
import time

import psycopg

from benchmarks.harness import argument_parser, print_figures

TABLE = "server_plans_scratch"
# As the unchanged check reads people: more than the index holds.
PAGE_IDS = ", ".join(["%s::VARCHAR"] * 100)
READ = f"SELECT pco_id, synced_hash FROM {TABLE} WHERE pco_id IN ({PAGE_IDS})"
INSERT = f"INSERT INTO {TABLE} (pco_id, synced_hash) VALUES (%s, 'x')"


def read_ms_by_size(url, prepared, rows):
    """{rows in the table: ms of the page's read at that size}."""
    marks = {100, rows // 2, rows}
    found = {}
    with psycopg.connect(url) as conn:
        conn.prepare_threshold = 5 if prepared else None  # psycopg's default, or pcosync's
        conn.execute(f"DROP TABLE IF EXISTS {TABLE}")
        conn.execute(f"CREATE TABLE {TABLE} (id serial PRIMARY KEY, pco_id varchar(40) UNIQUE, "
                     "synced_hash varchar(64))")
        try:
            for held in range(0, rows, 100):
                ids = [str(10_000_000 + held + n) for n in range(100)]
                started = time.perf_counter()
                conn.execute(READ, ids).fetchall()
                if held in marks:
                    found[held] = (time.perf_counter() - started) * 1000
                with conn.cursor() as cursor:
                    cursor.executemany(INSERT, [(i,) for i in ids])
                conn.commit()
            started = time.perf_counter()
            conn.execute(READ, ids).fetchall()
            found[rows] = (time.perf_counter() - started) * 1000
        finally:
            conn.rollback()
            conn.execute(f"DROP TABLE {TABLE}")
            conn.commit()
    return found


def main():
    parser = argument_parser("A page's read by PCO id as the table grows, prepared or not.")
    parser.add_argument("--database-url", default="postgresql://postgres@127.0.0.1:5432/test")
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    figures = {}
    for prepared in (True, False):
        name = "prepared" if prepared else "unprepared"
        times = read_ms_by_size(args.database_url, prepared, args.rows)
        sizes = ", ".join(f"{ms:.2f} ms at {size:,} rows" for size, ms in sorted(times.items()))
        print(f"{name:>10}: {sizes}")
        figures.update({f"read_{name}_{size}_rows_ms": round(ms, 2)
                        for size, ms in times.items()})
    print_figures(args, figures)


if __name__ == "__main__":
    main()
