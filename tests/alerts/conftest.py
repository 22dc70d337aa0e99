"""A real SMTP server on loopback (aiosmtpd in the test process) that the app sends alerts to."""
import socket
from email import message_from_bytes

import pytest
from aiosmtpd.controller import Controller

from pcosync.extensions import mail

ALERT_EMAILS = "treasurer@church.example, tech@church.example"


class Inbox:
    """aiosmtpd's handler: keeps every message it is given."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(message_from_bytes(envelope.content))
        return "250 Message accepted"

    @property
    def subjects(self):
        return [message["Subject"] for message in self.messages]


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def mail_settings(port):
    return {"MAIL_BACKEND": "smtp", "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": port,
            "MAIL_USE_TLS": False, "ALERT_EMAILS": ALERT_EMAILS,
            "MAIL_DEFAULT_SENDER": "pcosync@church.example",
            "PUBLIC_BASE_URL": "https://sync.church.example"}


@pytest.fixture
def smtp_port():
    return free_port()


@pytest.fixture
def inbox(app, smtp_port):
    """The app's alerts go to this inbox over SMTP."""
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    app.config.update(mail_settings(smtp_port))
    mail.init_app(app)  # Flask-Mailman reads its settings when initialised
    yield handler
    controller.stop()
