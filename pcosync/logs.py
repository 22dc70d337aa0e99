"""Logging: one readable line per event, `key=value` details, secrets masked."""
import logging
import sys

SECRET_SETTINGS = ("SECRET_KEY", "PCO_SECRET", "PCO_WEBHOOK_SECRET", "MAIL_PASSWORD")
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class SecretMaskFilter(logging.Filter):
    """Last line of defence: a configured secret never reaches a log line."""

    def __init__(self, secrets):
        super().__init__()
        self.secrets = [s for s in secrets if s and len(s) >= 4]

    def filter(self, record):
        if not self.secrets:
            return True
        message = record.getMessage()
        masked = message
        for secret in self.secrets:
            masked = masked.replace(secret, "***")
        if masked != message:
            record.msg, record.args = masked, ()
        return True


def configured_secrets(config):
    values = []
    for name in SECRET_SETTINGS:
        raw = config.get(name) or ""
        values.append(raw)
        values.extend(part.strip() for part in raw.split(","))
    return values


def configure_logging(app):
    """Send the app's logs to stderr (what Heroku and honcho collect) with secrets masked."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.addFilter(SecretMaskFilter(configured_secrets(app.config)))
    logger = logging.getLogger("pcosync")
    for old in [h for h in logger.handlers if getattr(h, "_pcosync", False)]:
        logger.removeHandler(old)
    handler._pcosync = True
    logger.addHandler(handler)
    logger.setLevel(app.config.get("LOG_LEVEL", "INFO"))
    logger.propagate = bool(app.config.get("TESTING"))


def fields(**values):
    """Format details as `key=value` pairs, the structure admins grep for."""
    return " ".join(f"{key}={value!r}" if isinstance(value, str) and " " in value
                    else f"{key}={value}" for key, value in values.items())
