"""`python -m services.placement`."""

from services.placement.app import SPEC
from shared.entrypoint import serve
from shared.settings import ServiceSettings

serve(SPEC, ServiceSettings())
