"""The six services' specs, for the tools that run or address them (ports, stages) without repeating them."""

from __future__ import annotations

from services.notifications.app import SPEC as NOTIFICATIONS
from services.placement.app import SPEC as PLACEMENT
from services.qualification.app import SPEC as QUALIFICATION
from services.recognition.app import SPEC as RECOGNITION
from services.recruitment.app import SPEC as RECRUITMENT
from services.reporting.app import SPEC as REPORTING
from shared.service import ServiceSpec

SPECS: tuple[ServiceSpec, ...] = (RECRUITMENT, RECOGNITION, QUALIFICATION, PLACEMENT, NOTIFICATIONS, REPORTING)
HTTP_PORTS: dict[str, int] = {spec.stage.value: spec.default_http_port for spec in SPECS}
"""Each service's default HTTP port (health, metrics, AsyncAPI), in journey order."""
