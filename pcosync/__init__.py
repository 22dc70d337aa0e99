"""pcosync: two-way sync between the church management platform and Planning Center Online."""
import os

from flask import Flask

from . import config as settings


def create_app(test_config=None):
    """Build the app: defaults, then instance/config.py, then the environment, then test_config."""
    app = Flask(__name__, instance_relative_config=True)
    try:
        load_config(app, test_config)
    except settings.ConfigError as err:
        from .cli import app_for_help

        return app_for_help(app, err)  # raises, unless the flask command only shows help
    os.makedirs(app.instance_path, exist_ok=True)
    register_logging(app)
    register_security(app)
    register_extensions(app)
    register_blueprints(app)
    register_error_handlers(app)
    register_cli(app)
    register_template_helpers(app)
    return app


def load_config(app, test_config):
    app.config.from_object(settings.Defaults)
    app.config.from_pyfile("config.py", silent=True)
    settings.load_environment(app.config)
    if test_config:
        app.config.update(test_config)
    settings.finish(app.config, app.instance_path)


def register_logging(app):
    from .logs import configure_logging

    configure_logging(app)


def register_security(app):
    """The proxy's view of the client, security headers, and ids bounded in every URL."""
    from .routing import register_converters
    from .security import add_security_headers, trust_proxies

    trust_proxies(app)
    add_security_headers(app)
    register_converters(app)


def register_extensions(app):
    from . import models  # noqa: F401  (the models must be known to Flask-Migrate)
    from .auth.session import configure_login
    from .extensions import csrf, db, mail, migrate
    from .services.history.capture import register as record_history

    db.init_app(app)
    record_history()
    migrate.init_app(app, db, directory=os.path.join(os.path.dirname(app.root_path),
                                                     "migrations"), render_as_batch=True)
    csrf.init_app(app)
    mail.init_app(app)
    configure_login(app)


def register_blueprints(app):
    from .auth import bp as auth_bp
    from .directory import bp as directory_bp
    from .health import bp as health_bp
    from .home import bp as home_bp
    from .sync import bp as sync_bp
    from .webhooks import bp as webhooks_bp

    app.register_blueprint(home_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(sync_bp)
    app.register_blueprint(directory_bp)
    app.register_blueprint(webhooks_bp)
    app.register_blueprint(health_bp)


def register_error_handlers(app):
    from . import errors

    errors.register(app)


def register_cli(app):
    from .cli import register_commands

    register_commands(app)


def register_template_helpers(app):
    from .templating import register

    register(app)
