"""Everything one sandbox app holds: config, store, limiter, faults, stats, webhooks."""
import threading

from .faults import FaultInjector
from .generator import generate
from .media_hosts import MediaHosts
from .ratelimit import RateLimiter
from .resources import Context
from .stats import RequestStats
from .store import SandboxStore
from .subscriptions import SubscriptionTable
from .webhooks import DEFAULT_RETRY_DELAYS, WebhookDispatcher

DEFAULT_CONFIG = {
    "SANDBOX_APP_ID": "sandbox",
    "SANDBOX_SECRET": "sandbox",
    "SANDBOX_PEOPLE": 200,
    "SANDBOX_SEED": 1,
    "SANDBOX_NOW": None,  # epoch seconds the generator treats as "now" (tests pin it)
    # People created in one second, as a CSV import in PCO stamps them (generator.py).
    "SANDBOX_IMPORTED": 0,
    "SANDBOX_RATE_LIMIT": 100,
    "SANDBOX_RATE_PERIOD": 20,
    "SANDBOX_RATE_PERIOD_FORMAT": "{seconds}",  # or "{seconds} seconds"; PCO sends both
    "SANDBOX_FAULTS": {},
    "SANDBOX_WEBHOOK_URL": None,
    "SANDBOX_WEBHOOK_SECRET": None,
    "SANDBOX_WEBHOOK_RETRY_DELAYS": DEFAULT_RETRY_DELAYS,
    # Which names of the subscriptions API this "PCO" serves (webhook_paths in /sandbox/config).
    "SANDBOX_WEBHOOK_PATHS": ("webhook_subscriptions", "subscriptions"),
    "SANDBOX_BASE_URL": None,
    # The token acts as a PCO user (the first person): their People permission, as PCO's
    # `people_permissions` says it (None: no access; "Viewer", "Editor", "Manager").
    "SANDBOX_TOKEN_USER_PERMISSIONS": "Manager",
}
FALLBACK_BASE_URL = "http://127.0.0.1"


def webhook_paths(value):
    known = ("webhook_subscriptions", "subscriptions")
    if not isinstance(value, (list, tuple)) or not set(value) <= set(known):
        raise ValueError(f"webhook_paths must be a list of {known}")
    return tuple(value)


class SandboxRuntime:
    def __init__(self, config):
        self.config = config
        self.store = SandboxStore(generate(config["SANDBOX_PEOPLE"], config["SANDBOX_SEED"],
                                           config["SANDBOX_NOW"], config["SANDBOX_IMPORTED"]))
        self.limiter = RateLimiter(config["SANDBOX_RATE_LIMIT"], config["SANDBOX_RATE_PERIOD"])
        self.faults = FaultInjector(dict({"seed": config["SANDBOX_SEED"]},
                                         **config["SANDBOX_FAULTS"]))
        self.stats = RequestStats()
        self.subscriptions = SubscriptionTable()
        self.webhooks = WebhookDispatcher(self.context, self.store.sent_deliveries,
                                          self.subscriptions,
                                          config["SANDBOX_WEBHOOK_RETRY_DELAYS"])
        self.webhooks.configure(config["SANDBOX_WEBHOOK_URL"], config["SANDBOX_WEBHOOK_SECRET"])
        self.store.subscribe(self.webhooks.on_change)
        self.media = MediaHosts()
        self._seen_base_url = None
        self._lock = threading.Lock()

    # -- URLs and serialization context -----------------------------------------------

    def remember_base_url(self, host_url):
        self._seen_base_url = host_url.rstrip("/")

    def base_url(self):
        configured = self.config["SANDBOX_BASE_URL"]
        return (configured or self._seen_base_url or FALLBACK_BASE_URL).rstrip("/")

    def context(self):
        return Context(self.base_url(), self.store.db, self.store.organization, self.media)

    def rate_period_header(self):
        period = self.limiter.period
        seconds = int(period) if float(period).is_integer() else period
        return self.config["SANDBOX_RATE_PERIOD_FORMAT"].format(seconds=seconds)

    # -- admin operations -------------------------------------------------------------

    def reconfigure(self, changes):
        """Apply runtime changes posted to /sandbox/config; returns the settings in force."""
        with self._lock:
            if "rate_limit" in changes or "rate_period" in changes:
                self.limiter.configure(changes.get("rate_limit"), changes.get("rate_period"))
                self.config["SANDBOX_RATE_LIMIT"] = self.limiter.limit
                self.config["SANDBOX_RATE_PERIOD"] = self.limiter.period
            if "rate_period_format" in changes:
                self.config["SANDBOX_RATE_PERIOD_FORMAT"] = changes["rate_period_format"]
            if "faults" in changes:
                self.faults.configure(changes["faults"])
            if "webhook_url" in changes or "webhook_secret" in changes:
                self._configure_webhooks(changes)
            if "token_user_permissions" in changes:
                self.config["SANDBOX_TOKEN_USER_PERMISSIONS"] = changes["token_user_permissions"]
            if "webhook_paths" in changes:
                self.config["SANDBOX_WEBHOOK_PATHS"] = webhook_paths(changes["webhook_paths"])
            return self.settings()

    def _configure_webhooks(self, changes):
        url = changes.get("webhook_url", self.webhooks.url)
        secret = changes.get("webhook_secret", self.webhooks.secret)
        if "webhook_retry_delays" in changes:
            self.webhooks.retry_delays = tuple(changes["webhook_retry_delays"])
        self.webhooks.configure(url, secret)
        self.config["SANDBOX_WEBHOOK_URL"], self.config["SANDBOX_WEBHOOK_SECRET"] = url, secret

    def settings(self):
        return {
            "rate_limit": self.limiter.limit, "rate_period": self.limiter.period,
            "rate_period_format": self.config["SANDBOX_RATE_PERIOD_FORMAT"],
            "faults": dict(self.faults.settings),
            "webhook_url": self.webhooks.url,
            "webhook_secret_set": bool(self.webhooks.secret),
            "webhook_retry_delays": list(self.webhooks.retry_delays),
            "webhook_paths": list(self.config["SANDBOX_WEBHOOK_PATHS"]),
            "people": len(self.store.db.people), "seed": self.config["SANDBOX_SEED"],
            "token_user_permissions": self.config["SANDBOX_TOKEN_USER_PERMISSIONS"],
        }

    def reset(self, people=None, seed=None, now=None):
        """Regenerate the data (same store object) and forget the rate-limit windows."""
        people = self.config["SANDBOX_PEOPLE"] if people is None else int(people)
        seed = self.config["SANDBOX_SEED"] if seed is None else seed
        self.store.load(generate(people, seed, now if now is not None
                                 else self.config["SANDBOX_NOW"], self.config["SANDBOX_IMPORTED"]))
        self.config.update(SANDBOX_PEOPLE=people, SANDBOX_SEED=seed)
        self.limiter.reset()
        return {"people": people, "seed": seed}

    def stats_snapshot(self):
        snapshot = self.stats.snapshot()
        snapshot["webhooks"] = self.webhooks.snapshot()
        return snapshot

    def reset_stats(self):
        self.stats.reset()
        self.webhooks.counters.update(sent=0, delivered=0, failed=0, retried=0)
        del self.store.sent_deliveries[:]
