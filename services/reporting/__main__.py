"""`python -m services.reporting`."""

from services.reporting.app import SPEC
from services.reporting.settings import ReportingSettings
from shared.entrypoint import serve

serve(SPEC, ReportingSettings())
