"""`python -m services.notifications`."""

from services.notifications.app import build_spec
from services.notifications.settings import NotificationSettings
from shared.entrypoint import serve

settings = NotificationSettings()
serve(build_spec(settings), settings)
