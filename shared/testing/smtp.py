"""A real SMTP server (aiosmtpd) on a free port for tests: what the platform sent, as e-mails.

    server = SmtpServer(); server.start()        # or the `smtp` fixture of shared.testing.fixtures
    settings.replace(smtp_url=server.url)
    server.sink.to("camille@example.org")        # the messages sent to her
"""
from __future__ import annotations

import email
import email.policy
import threading

from aiosmtpd.controller import Controller

from shared.ports import free_port


class SmtpSink:
    """aiosmtpd handler keeping every message received; `refuse` makes it answer 451 (a server that is
    up but not accepting, as during an incident)."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        msg = email.message_from_bytes(envelope.original_content or envelope.content, policy=email.policy.default)
        with self.lock:
            self.messages.append(msg)
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list:
        with self.lock:
            return [m for m in self.messages if address in str(m["To"])]


class SmtpServer:
    def __init__(self):
        self.port = free_port()
        self.sink = SmtpSink()
        self.controller = None

    def start(self):
        self.controller = Controller(self.sink, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    @property
    def url(self):
        return f"smtp://127.0.0.1:{self.port}"

    @property
    def messages(self):
        return self.sink.messages
