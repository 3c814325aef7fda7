"""`python -m services.reporting`."""

from services.reporting.app import SPEC
from shared.entrypoint import serve
from shared.settings import ServiceSettings

serve(SPEC, ServiceSettings())
