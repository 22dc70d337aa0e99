"""Settings: defaults here, then instance/config.py, then the environment, then test_config.

The setting names are the interface operators and scripts use. The comment above or beside each
setting in `Defaults` is its documentation: the settings reference of the documentation site is
generated from it (docs/hooks/reference.py), and a setting without one fails the docs build.
"""
import os
from datetime import date, timedelta

ENV_SETTINGS = (
    "SECRET_KEY",
    "DATABASE_URL",
    "REDIS_URL",
    "PCO_APP_ID",
    "PCO_SECRET",
    "PCO_WEBHOOK_SECRET",
    "PCO_API_URL",
    "PCO_TIMEOUT",
    "PCO_READ_AHEAD_PAGES",
    "PUBLIC_BASE_URL",
    "WEBHOOK_URL_ALIASES",
    "LOG_LEVEL",
    "RQ_QUEUE",
    "SYNC_STALE_SECONDS",
    "WORKER_SHUTDOWN_GRACE_SECONDS",
    "SYNC_GUARD_PERCENT",
    "PUSH_CREATE_CONFIRM",
    "SCOPE_LEAVING_CONFIRM",
    "TIMEZONE",
    "LOCALE",
    "TRUSTED_PROXIES",
    "PCO_ORGANIZATION_ID",
    "PCO_DATE_FORMAT",
    "ALERT_EMAILS",
    "MAIL_SERVER",
    "MAIL_PORT",
    "MAIL_USERNAME",
    "MAIL_PASSWORD",
    "MAIL_USE_TLS",
    "MAIL_FROM",
    "WORKER_HEARTBEAT_MAX_AGE",
    "WEBHOOK_GRACE_SECONDS",
    "HISTORY_DAYS",
    "ATTENDANCE_SINCE",
    "ATTENDANCE_WINDOW_DAYS",
    "ATTENDANCE_RUN_SECONDS",
    "MEDIA_URL",
    "MEDIA_S3_ENDPOINT_URL",
    "MEDIA_DOWNLOAD_INTERVAL",
    "MEDIA_RETRY_SECONDS",
    "MEDIA_RETRY_MAX_SECONDS",
    "PCO_UPLOAD_URL",
    "PHOTO_MAX_BYTES",
    "PHOTO_MAX_PIXELS",
    "DATABASE_POOL_RECYCLE_SECONDS",
)

PCO_REAL_API_URL = "https://api.planningcenteronline.com"
PCO_REAL_UPLOAD_URL = "https://upload.planningcenteronline.com/v2/files"
SANDBOX_UPLOAD_PATH = "/upload/v2/files"


class Defaults:
    # Signs sessions and CSRF tokens. Required in production: the app refuses to start
    # without it (`make run` writes one into instance/config.py).
    SECRET_KEY = None
    # The SQLAlchemy URL of the database; postgres:// (Heroku's) is accepted. Unset: SQLite
    # in the instance folder (instance/pcosync.db).
    DATABASE_URL = None
    # Redis, for the job queue and the PCO rate-limit budget every process shares. Unset:
    # the bundled Redis in the instance folder (unix://instance/redis.sock).
    REDIS_URL = None
    # The application id of a PCO Personal Access Token (spec name PlanningCenter:AppId).
    PCO_APP_ID = None
    # The secret of that token (PlanningCenter:Secret): a secret, never logged or shown.
    PCO_SECRET = None
    # Authenticity secret(s) of PCO webhook subscriptions, comma-separated
    # (PlanningCenter:WebhookSecret), used with the secrets imported from PCO. A secret given
    # here cannot name an event, so it is trusted for every event: the operator's choice.
    # Without it, and without imported secrets, the webhook endpoint answers 503.
    PCO_WEBHOOK_SECRET = None
    # Where PCO is. Anything but the real URL is shown as "sandbox" on the Sync page.
    PCO_API_URL = PCO_REAL_API_URL
    # Seconds before a PCO request times out (then it is retried).
    PCO_TIMEOUT = 30
    # How many pages of a listing a pull reads ahead of the page it is applying. More keeps
    # a paced Full Sync nearer the pace PCO's limit allows (a window's requests sent at once,
    # however slowly its pages are written); each page held costs memory (a page of 100
    # people about 1.5 MiB), and a cancelled pull may have spent this many requests for
    # nothing. 1 reads the next page only.
    PCO_READ_AHEAD_PAGES = 30
    # This site's public address: the webhook URL shown on the Sync page and where "Set up
    # webhooks" points PCO's subscriptions (it must be https://). An https:// address also
    # makes the login cookies Secure and sends Strict-Transport-Security. Unset: the
    # request's host.
    PUBLIC_BASE_URL = None
    # Other addresses PCO may deliver this app's webhooks to (a custom domain beside the
    # platform's host), comma-separated. An imported subscription's secret is trusted only for
    # a subscription to PUBLIC_BASE_URL's /api/pco-webhook or one of these, and only for its
    # own event; PCO_WEBHOOK_SECRET, set by the operator, is trusted for every event.
    WEBHOOK_URL_ALIASES = None
    LOG_LEVEL = "INFO"  # how much the log says: DEBUG, INFO, WARNING
    RQ_QUEUE = "pcosync"  # the name of the RQ queue the worker takes jobs from
    SYNC_STALE_SECONDS = 90  # a run without a heartbeat for this long is marked FAILED
    # After a SIGTERM (a restart, a deploy), a job's work horse gets this many whole seconds
    # to end before it is cancelled (RQ's HerokuWorker's 6; Heroku kills the dyno at 30).
    WORKER_SHUTDOWN_GRACE_SECONDS = 6
    # How often the Sync page and a run's page ask for progress, in milliseconds.
    SYNC_PAGE_POLL_MS = 3000
    # A pull or push that would update or archive more than this share (%) of the records it
    # goes through stops for a human (services/runs/guard.py); 100 turns the guard off.
    SYNC_GUARD_PERCENT = 25
    # A push that would create more than this many people in PCO stops for a confirmation
    # ("Run anyway"): each one clutters PCO's directory and counts in PCO's per-person prices.
    PUSH_CREATE_CONFIRM = 100
    # A change on Sync -> What syncs that would take at least this many people (a count) out
    # of the sync scope asks the admin to confirm first, saying how many.
    SCOPE_LEAVING_CONFIRM = 10
    TIMEZONE = "UTC"  # the church's time zone: the nightly Full Sync's time of day, dates shown
    LOCALE = "en_US"  # how pages write dates and times (Babel's locale names)
    # How many proxies in front of the app set X-Forwarded-For/-Proto (Heroku's router: 1).
    # 0 trusts none: a client could otherwise forge its address and dodge the login throttle.
    TRUSTED_PROXIES = 0
    # The PCO organization whose webhook deliveries are applied; when unset, the one the last
    # Test Connection reached (see services/connection/organization.py).
    PCO_ORGANIZATION_ID = None
    # How PCO writes a date custom field's value (the organization's date format in PCO's
    # settings); ISO dates are read too. Values are held as ISO and written in this format.
    PCO_DATE_FORMAT = "%m/%d/%Y"
    # Who is told when sync stops (services/alerts), comma-separated; without it, or without
    # MAIL_SERVER, alerts go to the log only.
    ALERT_EMAILS = None
    MAIL_SERVER = None  # the SMTP server alerts are sent through
    MAIL_PORT = 587  # its port (587: submission with STARTTLS; 465 is not supported)
    MAIL_USERNAME = None  # the SMTP login, when the server wants one
    MAIL_PASSWORD = None  # its password: a secret, never logged or shown
    MAIL_USE_TLS = True  # STARTTLS before logging in ("false" for a server on localhost)
    MAIL_FROM = None  # the sender address of alerts; defaults to MAIL_USERNAME
    MAIL_TIMEOUT = 10  # seconds an SMTP call may take: a page that raises an alert waits on it
    # A worker whose heartbeat (RQ's, in Redis) is older than this many seconds counts as
    # stopped: /healthz/sync answers 503 and an alert goes out.
    WORKER_HEARTBEAT_MAX_AGE = 300
    # A person PCO changed this recently may still have a webhook on its way: the
    # webhooks-look-broken rule (services/alerts/webhooks.py) leaves them out.
    WEBHOOK_GRACE_SECONDS = 600
    # The change history keeps each change this many days (the worker prunes it daily).
    HISTORY_DAYS = 365
    # Group attendance: the earliest event start (an ISO date, e.g. 2020-01-01) the first pull
    # reads; unset, every event PCO holds.
    ATTENDANCE_SINCE = None
    # PCO's attendances carry no timestamps: each later pull re-reads the events that started
    # this many days before the previous pull's end (attendance recorded late arrives).
    ATTENDANCE_WINDOW_DAYS = 60
    # An attendance run starts no new group after this many seconds (below the 4-hour job
    # timeout); the next run, queued at once, resumes where it stopped.
    ATTENDANCE_RUN_SECONDS = 3 * 60 * 60
    # Where photos and files are kept: a folder (file:///path; unset: instance/media) or an S3
    # bucket (s3://bucket/prefix; credentials from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY).
    MEDIA_URL = None
    # An S3-compatible service other than AWS (its URL); unset for AWS itself.
    MEDIA_S3_ENDPOINT_URL = None
    # Seconds at least between two downloads of PCO's photos and files (0: no pause).
    MEDIA_DOWNLOAD_INTERVAL = 0.2
    # A file that could not be downloaded is tried again this many seconds later, then after
    # twice as long at each failure (so a broken file does not start a Media run after every
    # Quick Sync), ...
    MEDIA_RETRY_SECONDS = 15 * 60
    # ... but never more than this many seconds later.
    MEDIA_RETRY_MAX_SECONDS = 24 * 60 * 60
    # PCO's upload service, where a photo goes before the person's avatar is set to it; unset:
    # PCO's own, or the sandbox's when PCO_API_URL is a sandbox.
    PCO_UPLOAD_URL = None
    # A photo uploaded in the directory may be this many bytes at most.
    PHOTO_MAX_BYTES = 8 * 1024 * 1024
    # ... and this many pixels (width x height) at most: a small file that unpacks to a huge
    # image (a decompression bomb) is refused before it is decoded.
    PHOTO_MAX_PIXELS = 40_000_000
    # Users holding pco.manage or a notes permission sign in with a TOTP second factor.
    REQUIRE_TWO_FACTOR = True
    SESSION_COOKIE_HTTPONLY = True  # the session cookie is out of scripts' reach
    SESSION_COOKIE_SAMESITE = "Lax"  # and not sent with other sites' cross-site requests
    REMEMBER_COOKIE_HTTPONLY = True  # the "keep me logged in" cookie likewise
    REMEMBER_COOKIE_SAMESITE = "Lax"  # likewise
    # "Keep me logged in" lasts this long; the server-side session row expires with it.
    REMEMBER_COOKIE_DURATION = timedelta(days=30)
    # A form's CSRF token lasts as long as the session (None), not a fixed time.
    WTF_CSRF_TIME_LIMIT = None
    MAX_CONTENT_LENGTH = 2 * 1024 * 1024  # the largest request body accepted, in bytes
    # Seconds a database connection is used before the pool replaces it with a new one. 0:
    # connections are kept, and each is checked with a round trip (a pre-ping) whenever it is
    # taken from the pool instead, which on a network costs about a millisecond per page.
    DATABASE_POOL_RECYCLE_SECONDS = 300


class ConfigError(RuntimeError):
    """A setting is missing or wrong; the message says which and how to fix it."""


def load_environment(config):
    """Copy the documented settings from the environment, when set and not empty."""
    for name in ENV_SETTINGS:
        value = os.environ.get(name)
        if value:
            config[name] = value


def normalize_database_url(url):
    """Heroku hands out postgres:// URLs; SQLAlchemy wants a driver name."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def finish(config, instance_path):
    """Derive settings that depend on others, and refuse a production app without a secret key."""
    if not config.get("DATABASE_URL"):
        config["DATABASE_URL"] = "sqlite:///" + os.path.join(instance_path, "pcosync.db")
    config["DATABASE_URL"] = normalize_database_url(config["DATABASE_URL"])
    config.setdefault("SQLALCHEMY_DATABASE_URI", config["DATABASE_URL"])
    engine_options(config)
    if not config.get("REDIS_URL"):
        config["REDIS_URL"] = bundled_redis_url(instance_path)
    config["PCO_TIMEOUT"] = float(config.get("PCO_TIMEOUT") or 30)
    config["PCO_READ_AHEAD_PAGES"] = whole_number(
        "PCO_READ_AHEAD_PAGES", config.get("PCO_READ_AHEAD_PAGES"), 30)
    config["TRUSTED_PROXIES"] = trusted_proxies(config.get("TRUSTED_PROXIES"))
    config["SYNC_GUARD_PERCENT"] = guard_percent(config.get("SYNC_GUARD_PERCENT"))
    mail_settings(config)
    config["HISTORY_DAYS"] = history_days(config.get("HISTORY_DAYS"))
    attendance_settings(config)
    media_settings(config)
    secure_cookies(config)
    if not config.get("SECRET_KEY"):
        if not (config.get("DEBUG") or config.get("TESTING")):
            raise ConfigError(
                "SECRET_KEY is not set. Set it in the environment or in instance/config.py "
                "(for example: python -c 'import secrets; print(secrets.token_hex(32))')."
            )
        config["SECRET_KEY"] = "dev-only-not-secret"


def engine_options(config):
    """Connections recycled after DATABASE_POOL_RECYCLE_SECONDS instead of a pre-ping at each
    checkout (every page's commit hands its connection back); 0 restores the pre-ping.

    On PostgreSQL no statement is prepared on the server: psycopg prepares one after its fifth
    run, and PostgreSQL then settles on a generic plan, made while a first pull's tables were
    small: the page's `pco_id IN (...)` read went on scanning every person instead of using
    the index (on average 59 ms a page over a first pull of 100,000 people, 102 ms on its
    unchanged pass). PgBouncer in transaction mode (Heroku's connection pooler) cannot share
    prepared statements either."""
    recycle = whole_number("DATABASE_POOL_RECYCLE_SECONDS",
                           config.get("DATABASE_POOL_RECYCLE_SECONDS"), 300, minimum=0)
    config["DATABASE_POOL_RECYCLE_SECONDS"] = recycle
    options = dict(config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    options.setdefault("pool_pre_ping", recycle == 0)
    # A failed statement's text (a run's error on the Sync page, its alert, the log) without
    # the values sent: a page's INSERT carries a hundred people's names, emails and birthdates.
    options.setdefault("hide_parameters", True)
    if recycle:
        options.setdefault("pool_recycle", recycle)
    if str(config.get("SQLALCHEMY_DATABASE_URI") or "").startswith("postgresql+psycopg"):
        options["connect_args"] = {"prepare_threshold": None,
                                   **(options.get("connect_args") or {})}
    config["SQLALCHEMY_ENGINE_OPTIONS"] = options


def mail_settings(config):
    """The environment gives strings; Flask-Mailman wants numbers, booleans and its own names."""
    config["MAIL_PORT"] = whole_number("MAIL_PORT", config.get("MAIL_PORT"), 587)
    config["MAIL_USE_TLS"] = str(config.get("MAIL_USE_TLS")).strip().lower() not in (
        "0", "false", "no", "off", "none", "")
    config["WORKER_HEARTBEAT_MAX_AGE"] = whole_number(
        "WORKER_HEARTBEAT_MAX_AGE", config.get("WORKER_HEARTBEAT_MAX_AGE"), 300)
    config["WEBHOOK_GRACE_SECONDS"] = whole_number(
        "WEBHOOK_GRACE_SECONDS", config.get("WEBHOOK_GRACE_SECONDS"), 600, minimum=0)
    config["MAIL_DEFAULT_SENDER"] = config.get("MAIL_FROM") or config.get("MAIL_USERNAME")


def attendance_settings(config):
    since = config.get("ATTENDANCE_SINCE")
    if since and not isinstance(since, date):
        try:
            since = date.fromisoformat(str(since).strip())
        except ValueError:
            raise ConfigError(f"ATTENDANCE_SINCE must be a date like 2020-01-01, not {since!r}.")
    config["ATTENDANCE_SINCE"] = since or None
    config["ATTENDANCE_WINDOW_DAYS"] = whole_number(
        "ATTENDANCE_WINDOW_DAYS", config.get("ATTENDANCE_WINDOW_DAYS"), 60, minimum=0)
    config["ATTENDANCE_RUN_SECONDS"] = whole_number(
        "ATTENDANCE_RUN_SECONDS", config.get("ATTENDANCE_RUN_SECONDS"), 3 * 60 * 60, minimum=0)


def media_settings(config):
    """Numbers from the environment's strings, and the upload service that goes with the API."""
    try:
        interval = float(config.get("MEDIA_DOWNLOAD_INTERVAL") or 0)
    except (TypeError, ValueError):
        interval = -1
    if interval < 0:
        raise ConfigError("MEDIA_DOWNLOAD_INTERVAL must be a number of seconds, 0 or more, not "
                          f"{config.get('MEDIA_DOWNLOAD_INTERVAL')!r}.")
    config["MEDIA_DOWNLOAD_INTERVAL"] = interval
    for name, default in (("PHOTO_MAX_BYTES", 8 * 1024 * 1024), ("PHOTO_MAX_PIXELS", 40_000_000),
                          ("MEDIA_RETRY_SECONDS", 15 * 60),
                          ("MEDIA_RETRY_MAX_SECONDS", 24 * 60 * 60)):
        config[name] = whole_number(name, config.get(name), default)
    media_url = str(config.get("MEDIA_URL") or "")
    if media_url and not media_url.startswith(("file://", "s3://")):
        raise ConfigError(f"MEDIA_URL must start with file:// or s3://, not {media_url!r}.")
    if not config.get("PCO_UPLOAD_URL"):
        api_url = (config.get("PCO_API_URL") or "").rstrip("/")
        config["PCO_UPLOAD_URL"] = (api_url + SANDBOX_UPLOAD_PATH if uses_sandbox(config)
                                    else PCO_REAL_UPLOAD_URL)


def whole_number(name, value, default, minimum=1):
    try:
        number = int(default if value is None or value == "" else value)
    except (TypeError, ValueError):
        number = minimum - 1
    if number < minimum:
        raise ConfigError(f"{name} must be a whole number of at least {minimum}, not {value!r}.")
    return number


def alert_emails(config):
    """ALERT_EMAILS as a list of addresses."""
    raw = config.get("ALERT_EMAILS") or ""
    return [part.strip() for part in raw.split(",") if part.strip()]


def trusted_proxies(value):
    try:
        hops = int(value or 0)
    except (TypeError, ValueError):
        hops = -1
    if hops < 0:
        raise ConfigError(f"TRUSTED_PROXIES must be a whole number of proxies (0, 1, ...), "
                          f"not {value!r}; on Heroku set it to 1.")
    return hops


def guard_percent(value):
    try:
        percent = float(25 if value is None or value == "" else value)
    except (TypeError, ValueError):
        percent = -1
    if not 0 < percent <= 100:
        raise ConfigError(f"SYNC_GUARD_PERCENT must be a percentage above 0 and up to 100 (100 "
                          f"turns the guard off), not {value!r}.")
    return percent


def secure_cookies(config):
    """A site served over HTTPS (PUBLIC_BASE_URL https://...) sends its login cookies over HTTPS
    only; without the Secure flag one plain-http request would carry them in the clear. (A
    request that arrives over https gets Secure cookies whatever this says: security.py.)"""
    if serves_https(config):
        config["SESSION_COOKIE_SECURE"] = config["REMEMBER_COOKIE_SECURE"] = True


def serves_https(config):
    return str(config.get("PUBLIC_BASE_URL") or "").startswith("https://")


def bundled_redis_url(instance_path):
    return "unix://" + os.path.join(instance_path, "redis.sock")


def webhook_secrets(config):
    """PCO gives one secret per webhook subscription; several may be configured, comma-separated."""
    raw = config.get("PCO_WEBHOOK_SECRET") or ""
    return [part.strip() for part in raw.split(",") if part.strip()]


def uses_sandbox(config):
    return config.get("PCO_API_URL", PCO_REAL_API_URL).rstrip("/") != PCO_REAL_API_URL


def history_days(value):
    try:
        days = int(365 if value is None or value == "" else value)
    except (TypeError, ValueError):
        days = 0
    if days < 1:
        raise ConfigError(f"HISTORY_DAYS must be a whole number of days, 1 or more, not {value!r}.")
    return days
