"""`python -m services.recruitment`."""

from shared.entrypoint import serve
from shared.settings import ServiceSettings
from services.recruitment.app import SPEC

serve(SPEC, ServiceSettings())
