"""The PCO sandbox: a faithful Planning Center Online look-alike served over real HTTP.

    app = create_sandbox_app({"SANDBOX_PEOPLE": 500})
    server = start_sandbox_in_thread(app)      # from pco_sandbox.server
    requests.get(server.url + "/people/v2/people", auth=("sandbox", "sandbox"))

`app.extensions["pco_sandbox"]` is the thread-safe store; the limiter, faults, stats and
webhook dispatcher live on `app.extensions["pco_sandbox_runtime"]`.
"""
import copy

from flask import Flask

from .runtime import DEFAULT_CONFIG, SandboxRuntime

__all__ = ["create_sandbox_app", "DEFAULT_CONFIG"]


def create_sandbox_app(config=None):
    app = Flask(__name__)
    settings = copy.deepcopy(DEFAULT_CONFIG)
    settings.update(config or {})
    app.config.update(settings)
    app.json.ensure_ascii = False
    register_runtime(app, settings)
    register_blueprints(app)
    return app


def register_runtime(app, settings):
    runtime = SandboxRuntime(settings)
    app.extensions["pco_sandbox"] = runtime.store
    app.extensions["pco_sandbox_runtime"] = runtime


def register_blueprints(app):
    from . import (admin, admin_fields, attendance, choice_lists, demo_page, fields, groups,
                   households, media, notes, people, people_lists, webhook_subscriptions)
    from .pipeline import register_pipeline
    from .views import register_error_handlers

    register_pipeline(app)
    register_error_handlers(app)
    for module in (people, households, groups, choice_lists, fields, webhook_subscriptions, admin,
                   admin_fields, notes, people_lists, attendance, media):
        app.register_blueprint(module.bp)
    app.register_blueprint(notes.admin_bp)
    app.register_blueprint(demo_page.bp)
