"""`python -m services.recognition`."""

from services.recognition.app import SPEC
from shared.entrypoint import serve
from shared.settings import ServiceSettings

serve(SPEC, ServiceSettings())
