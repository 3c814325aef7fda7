"""`python -m services.notifications`."""

from services.notifications.app import SPEC
from services.notifications.settings import NotificationSettings
from shared.entrypoint import serve

serve(SPEC, NotificationSettings())  # the notifications settings are checked before the service starts
