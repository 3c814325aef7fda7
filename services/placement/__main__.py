"""`python -m services.placement`."""

from services.placement.app import build_spec
from services.placement.settings import PlacementSettings
from shared.entrypoint import serve

settings = PlacementSettings()  # checked before the service starts
serve(build_spec(settings.retention_months), settings)
