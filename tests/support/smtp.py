"""The tests' SMTP server is the project's one SMTP sink (tools/smtp_sink.py)."""

from tools.smtp_sink import Received, SmtpSink

__all__ = ["Received", "SmtpSink"]
