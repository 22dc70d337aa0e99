"""The app's one Redis connection: the job queue, the shared PCO rate budget and the login
throttle all use it."""
import redis as redis_lib
from flask import current_app


def get_redis(app=None):
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
