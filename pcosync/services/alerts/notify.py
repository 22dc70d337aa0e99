"""One message per problem: opened once, resolved once, whatever the number of processes.

A problem is opened by inserting its Alert row with `open_key` set: the unique constraint lets
one process win, and only the winner sends. Resolving clears `open_key` with one UPDATE; only
the process whose UPDATE changed the row sends the "resolved" message. Messages are plain words
with a link to the page that explains; every alert also goes to the log.
"""
import logging
import smtplib

from flask import current_app
from flask_mailman import EmailMessage
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from ... import config as settings
from ...extensions import db
from ...logs import fields
from ...models import Alert, utcnow
from ...models.alerts import headline

log = logging.getLogger("pcosync.alerts")
SUBJECT_PREFIX = "[pcosync] "


def open_problems():
    """{problem: Alert} of the problems open now."""
    rows = db.session.scalars(select(Alert).where(Alert.open_key.is_not(None)))
    return {row.problem: row for row in rows}


def raise_alert(problem, message, path):
    """Open `problem` and tell people, unless it is open already. True: this call opened it."""
    db.session.commit()  # a clean transaction: the insert below is all a rollback undoes
    alert = Alert(problem=problem, open_key=problem, message=message, path=path)
    db.session.add(alert)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return False
    log.warning("alert opened %s", fields(problem=problem, message=message, link=link(path)))
    if deliver(f"{SUBJECT_PREFIX}{headline(message)}", body(message, path)):
        alert.notified_at = utcnow()
        db.session.commit()
    return True


def resolve_alert(problem, message):
    """Close `problem` if it is open and say so, once. True: this call resolved it."""
    alert = open_problems().get(problem)
    if alert is None:
        return False
    result = db.session.execute(update(Alert).where(Alert.id == alert.id,
                                                    Alert.open_key.is_not(None))
                                .values(open_key=None, resolved_at=utcnow()))
    db.session.commit()
    if result.rowcount != 1:
        return False  # another process resolved it first
    log.info("alert resolved %s", fields(problem=problem, message=message,
                                         link=link(alert.path)))
    deliver(f"{SUBJECT_PREFIX}Resolved: {headline(message)}", body(message, alert.path))
    return True


def send_test_alert():
    """The *Send test alert* button and `flask pco alerts test`: a sentence saying where it
    went (raises MailError when the mail server refuses it)."""
    message = ("This is a test alert from pcosync: when sync stops, messages like this one go "
               "to the addresses in ALERT_EMAILS.")
    log.info("alert test %s", fields(message=message))
    if not mail_configured():
        return ("Alerts go to the log only: set ALERT_EMAILS and MAIL_SERVER to have them "
                "emailed. The test alert was written to the log.")
    deliver(f"{SUBJECT_PREFIX}Test alert", body(message, "/sync/"), quiet=False)
    return f"Test alert sent to {', '.join(settings.alert_emails(current_app.config))}."


class MailError(Exception):
    """The mail server refused or could not be reached; the message says which (no secret)."""


def mail_configured(config=None):
    config = config or current_app.config
    return bool(settings.alert_emails(config) and config.get("MAIL_SERVER"))


def deliver(subject, text, quiet=True):
    """Email the alert to ALERT_EMAILS; True when sent. A mail failure is logged (and raised
    when not `quiet`): an alert must never break the run or the page that raised it."""
    if not mail_configured():
        return False
    config = current_app.config
    try:
        EmailMessage(subject, text, config.get("MAIL_DEFAULT_SENDER"),
                     settings.alert_emails(config)).send()
    except (smtplib.SMTPException, OSError) as err:
        log.error("alert not emailed %s", fields(subject=subject, error=type(err).__name__,
                                                 server=config.get("MAIL_SERVER")))
        if not quiet:
            raise MailError(f"The mail server did not take the message ({type(err).__name__}: "
                            f"{err}).") from err
        return False
    return True


def link(path):
    base = (current_app.config.get("PUBLIC_BASE_URL") or "").rstrip("/")
    return (base + path) if base else path


def body(message, path):
    return (f"{message}\n\nSee {link(path)} for what happened and what to do.\n\n"
            "-- pcosync (one message per problem; another comes when it is resolved)\n")
