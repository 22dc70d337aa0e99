"""Flask extensions, created unbound and initialised by create_app."""
import sqlite3

import redis as redis_lib
from flask import current_app
from flask_login import LoginManager
from flask_mailman import Mail
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase

# Stable constraint names, so Alembic migrations behave the same on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
mail = Mail()  # alerts (services/alerts/notify.py); settings MAIL_*


def get_redis(app=None):
    """The app's one Redis connection: the job queue, the shared PCO rate budget and the login
    throttle all use it (services need it too, so it lives here rather than in jobs)."""
    app = app or current_app
    conn = app.extensions.get("pcosync_redis")
    if conn is None:
        conn = redis_lib.Redis.from_url(
            app.config["REDIS_URL"], socket_connect_timeout=2, socket_timeout=10,
            health_check_interval=30)
        app.extensions["pcosync_redis"] = conn
    return conn


def redis_is_up(app=None):
    try:
        return bool(get_redis(app).ping())
    except redis_lib.RedisError:
        return False


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record):
    """SQLite: WAL so readers never block the writer, a busy timeout so a page commit waits
    for a webhook's commit instead of failing with "database is locked", and real FKs."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        # With WAL, NORMAL never corrupts the file; it syncs at checkpoints, not every commit.
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()
