"""Helpers the tests share (not fixtures)."""
import os
import re
import uuid

import flask_migrate
import psycopg
from sqlalchemy.engine import make_url

from pcosync import create_app

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PASSWORD = "correct horse battery"


def test_config(db_url, redis_url, tmp_path, **extra):
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key",
        "DATABASE_URL": db_url,
        "REDIS_URL": redis_url,
        "PCO_APP_ID": "sandbox",
        "PCO_SECRET": "sandbox",
        "PCO_WEBHOOK_SECRET": "test-webhook-secret",
        "PCO_API_URL": "http://127.0.0.1:9",
        "RQ_QUEUE": "pcosync-test",
        "WTF_CSRF_ENABLED": True,
    }
    config.update(extra)
    return config


def upgrade(url):
    """Build the schema the way production does: `flask db upgrade`."""
    app = create_app({"TESTING": True, "DATABASE_URL": url, "SECRET_KEY": "x"})
    with app.app_context():
        flask_migrate.upgrade()
        from pcosync.extensions import db

        db.engine.dispose()


def create_postgres_database(server_url, prefix="pcosync_test"):
    """A fresh, empty database on the server of `server_url`; returns its URL."""
    name = f"{prefix}_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    with psycopg.connect(libpq_url(server_url), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return make_url(server_url).set(database=name).render_as_string(hide_password=False)


def drop_postgres_database(url):
    name = make_url(url).database
    server = make_url(url).set(database="postgres").render_as_string(hide_password=False)
    with psycopg.connect(libpq_url(server), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def libpq_url(url):
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def make_user(email, role, password=PASSWORD):
    from pcosync.auth.service import create_user

    return create_user(email, password, role)


def csrf_token(client, path="/login"):
    page = client.get(path).get_data(as_text=True)
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page) or re.search(
        r'<meta name="csrf-token" content="([^"]+)"', page)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def login(client, email, password=PASSWORD):
    token = csrf_token(client)
    response = client.post("/login", data={"email": email, "password": password,
                                           "csrf_token": token})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return response
