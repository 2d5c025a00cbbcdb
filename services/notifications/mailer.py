"""Sends e-mails: SMTP (`smtp://[user:pass@]host:port`, `smtps://…`) or `file://DIR` (one .eml per message).

`build_message` makes the MIME message (text + HTML alternatives, optional .ics, List-Unsubscribe
headers, deterministic Message-ID); `Mailer.send` hands it over and returns the Message-ID.
"""
from __future__ import annotations

import email.policy
import smtplib
import ssl
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from urllib.parse import unquote, urlparse

from services.notifications import ical
from shared.http.text import one_line


# Headers are not folded: Python's folder drops the space between an ASCII word and a following
# encoded word at a fold ("PACTE MSP — promotion" arrived as "PACTE MSP— promotion"). Lines stay far
# below SMTP's 998.
POLICY = email.policy.SMTP.clone(max_line_length=998)


class SendError(Exception):
    """The message was not handed over (transient or permanent); the dispatcher retries it."""

    def __init__(self, message: str, permanent: bool = False):
        super().__init__(message)
        self.permanent = permanent


def build_message(*, sender: str, to: str, to_name: str | None, subject: str, text: str, html: str,
                  message_id: str, unsubscribe_url: str | None, ics: bytes | None, ics_method: str | None,
                  date=None, headers: dict | None = None, ics_filename: str | None = None) -> EmailMessage:
    msg = EmailMessage(policy=POLICY)
    msg["From"] = sender
    msg["To"] = Address(display_name=one_line(to_name or ""), addr_spec=to)  # data stored before input checks
    msg["Subject"] = one_line(subject, 400)
    msg["Message-ID"] = message_id
    if date is not None:
        msg["Date"] = format_datetime(date)
    if unsubscribe_url:
        msg["List-Unsubscribe"] = f"<{unsubscribe_url}>"
        msg["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    msg["Auto-Submitted"] = "auto-generated"
    for key, value in (headers or {}).items():
        msg[key] = value
    msg.set_content(text)
    msg.add_alternative(html, subtype="html")
    if ics:
        msg.add_attachment(ics, maintype="text", subtype="calendar",
                           filename=ics_filename or ical.attachment_name(ics_method),
                           params={"method": ics_method or "REQUEST"})
        # The attachment's declared charset lets calendars read accents right.
        part = msg.get_payload()[-1]
        part.set_param("charset", "UTF-8")
    return msg


class Mailer:
    """One connection per batch (`with mailer:`), opened on the first message."""

    def __init__(self, smtp_url: str, timeout: float = 15.0):
        self.url = urlparse(smtp_url)
        self.timeout = timeout
        self._smtp: smtplib.SMTP | None = None
        if self.url.scheme not in ("smtp", "smtps", "file"):
            raise ValueError(f"SMTP_URL must be smtp://, smtps:// or file://, not {smtp_url!r}")

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except Exception:  # noqa: BLE001
                try:
                    self._smtp.close()
                except Exception:  # noqa: BLE001
                    pass
            self._smtp = None

    def _connect(self) -> smtplib.SMTP:
        host, port = self.url.hostname or "127.0.0.1", self.url.port
        if self.url.scheme == "smtps":
            smtp = smtplib.SMTP_SSL(host, port or 465, timeout=self.timeout, context=ssl.create_default_context())
        else:
            smtp = smtplib.SMTP(host, port or 25, timeout=self.timeout)
            smtp.ehlo()
            if smtp.has_extn("starttls") and self.url.query.find("starttls=false") < 0 and host not in (
                    "127.0.0.1", "localhost", "mailpit"):
                smtp.starttls(context=ssl.create_default_context())
                smtp.ehlo()
        if self.url.username:
            smtp.login(unquote(self.url.username), unquote(self.url.password or ""))
        return smtp

    def send(self, msg: EmailMessage) -> str:
        if self.url.scheme == "file":
            return self._write_file(msg)
        try:
            if self._smtp is None:
                self._smtp = self._connect()
            refused = self._smtp.send_message(msg)
        except smtplib.SMTPRecipientsRefused as exc:
            self.close()
            codes = [code for code, _ in exc.recipients.values()]
            raise SendError(f"recipient refused: {exc.recipients}", permanent=all(500 <= c < 600 for c in codes)) from exc
        except (smtplib.SMTPException, OSError) as exc:
            self.close()
            raise SendError(f"{type(exc).__name__}: {exc}") from exc
        if refused:
            raise SendError(f"recipients refused: {refused}")
        return msg["Message-ID"]

    def _write_file(self, msg: EmailMessage) -> str:
        directory = Path(unquote(self.url.netloc + self.url.path))
        try:
            directory.mkdir(parents=True, exist_ok=True)
            name = msg["Message-ID"].strip("<>").replace("@", "_at_").replace("/", "_")
            tmp = directory / f".{name}.tmp"
            tmp.write_bytes(bytes(msg))
            tmp.replace(directory / f"{name}.eml")  # same name on a resend: one file per message
        except OSError as exc:
            raise SendError(f"cannot write to {directory}: {exc}") from exc
        return msg["Message-ID"]
