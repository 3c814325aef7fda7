"""`python -m services.qualification`."""

from services.qualification.app import SPEC
from shared.entrypoint import serve
from shared.settings import ServiceSettings

serve(SPEC, ServiceSettings())
