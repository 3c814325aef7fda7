"""Notifications against the real broker, database and an SMTP server."""
