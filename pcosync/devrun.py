"""`make run`: everything a newcomer needs on one machine, with nothing to configure.

SQLite in instance/, the bundled Redis when REDIS_URL is unset, and the PCO sandbox when no
PCO credentials are set; then web, worker (and sandbox) under honcho, like the Procfile.
"""
import os
import secrets
import sys

from honcho.manager import Manager

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
INSTANCE = os.path.join(ROOT, "instance")
WEB_PORT = int(os.environ.get("PORT", "5000"))
SANDBOX_PORT = int(os.environ.get("SANDBOX_PORT", "5001"))


def ensure_instance_config():
    """A random SECRET_KEY, written once, so sessions survive restarts."""
    path = os.path.join(INSTANCE, "config.py")
    os.makedirs(INSTANCE, exist_ok=True)
    if not os.path.exists(path):
        with open(path, "w") as handle:
            handle.write(f'SECRET_KEY = "{secrets.token_hex(32)}"\n')
        print(f"Wrote {path} with a new SECRET_KEY.")


def prepare_database(app):
    import flask_migrate

    from .auth.service import ensure_first_admin
    from .cli.users import announce_first_admin

    with app.app_context():
        flask_migrate.upgrade()
        announce_first_admin(ensure_first_admin())


def start_bundled_redis(env):
    from . import bundled_redis

    socket_path = os.path.join(INSTANCE, "redis.sock")
    if os.path.exists(socket_path):
        os.unlink(socket_path)
    process = bundled_redis.serve(socket_path, foreground=False)
    env["REDIS_URL"] = "unix://" + socket_path
    print(f"Started the bundled Redis on {socket_path}.")
    return process


def sandbox_settings(env):
    """Point the app at the sandbox. Webhooks are set up from the Sync page (Set up webhooks),
    as a church would: the sandbox then delivers to this address, each subscription signed with
    its own secret (the sandbox, unlike PCO, may deliver to plain http on this machine)."""
    env.update({
        "PCO_API_URL": f"http://127.0.0.1:{SANDBOX_PORT}",
        "PCO_APP_ID": "sandbox",
        "PCO_SECRET": "sandbox",
    })
    env.setdefault("PUBLIC_BASE_URL", f"http://127.0.0.1:{WEB_PORT}")
    return (f"flask --app wsgi sandbox run --port {SANDBOX_PORT} --people 200 --seed 1")


def main():
    ensure_instance_config()
    from . import create_app

    env = dict(os.environ, FLASK_APP="wsgi", PYTHONUNBUFFERED="1")
    redis_process = None if os.environ.get("REDIS_URL") else start_bundled_redis(env)
    os.environ.update(env)
    app = create_app()
    sandbox_command = None
    if not (app.config.get("PCO_APP_ID") and app.config.get("PCO_SECRET")):
        sandbox_command = sandbox_settings(env)
        print("No PCO credentials set: using the PCO sandbox (demo data).")
    prepare_database(app)
    bindir = os.path.dirname(sys.executable)
    env["PATH"] = bindir + os.pathsep + env.get("PATH", "")
    manager = Manager()
    manager.add_process("web", f"gunicorn wsgi:app --bind 127.0.0.1:{WEB_PORT} --threads 4 "
                        "--access-logfile -", env=env, cwd=ROOT)
    manager.add_process("worker", "flask --app wsgi worker", env=env, cwd=ROOT)
    if sandbox_command:
        manager.add_process("sandbox", sandbox_command, env=env, cwd=ROOT)
    print(f"Open http://127.0.0.1:{WEB_PORT}/ (Ctrl+C stops everything).")
    try:
        manager.loop()
    finally:
        if redis_process:
            redis_process.terminate()
    sys.exit(manager.returncode)


if __name__ == "__main__":
    main()
