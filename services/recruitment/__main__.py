"""`python -m services.recruitment`."""

from services.recruitment.app import SPEC
from shared.entrypoint import serve
from shared.settings import ServiceSettings

serve(SPEC, ServiceSettings())
