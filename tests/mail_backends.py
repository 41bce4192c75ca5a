"""E-mail backends that a test hands to a real Celery worker through DJANGO_EMAIL_BACKEND.

Each writes its messages as files like Django's file backend, after a behaviour a fault test
needs: a mail server that is down while a flag file exists, or one slow enough to kill the worker
in the middle of sending.
"""

from __future__ import annotations

import os
import smtplib
import time
from pathlib import Path

from django.core.mail.backends.filebased import EmailBackend


class FlakyFileBackend(EmailBackend):
    """Refuses to send (as an SMTP server would) while the file EDC_TEST_MAIL_DOWN exists."""

    def send_messages(self, email_messages):
        if Path(os.environ["EDC_TEST_MAIL_DOWN"]).exists():
            raise smtplib.SMTPServerDisconnected("test mail server is down")
        return super().send_messages(email_messages)


class SlowFileBackend(EmailBackend):
    """Writes `<pid>.sending` into EDC_TEST_MAIL_SIGNALS, waits EDC_TEST_MAIL_DELAY seconds, then
    sends: long enough for a test to kill the process mid-task."""

    def send_messages(self, email_messages):
        signals = Path(os.environ["EDC_TEST_MAIL_SIGNALS"])
        (signals / f"{os.getpid()}.sending").write_text("")
        time.sleep(float(os.environ.get("EDC_TEST_MAIL_DELAY", "5")))
        return super().send_messages(email_messages)
