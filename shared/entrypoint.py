"""`python -m services.<stage>`: configure logging once, build the app, serve it until SIGTERM."""

from __future__ import annotations

import uvicorn

from shared.logging import configure_logging
from shared.service import ServiceSpec, build_app
from shared.settings import ServiceSettings


def serve(spec: ServiceSpec, settings: ServiceSettings) -> None:
    configure_logging(spec.stage.value, settings.log_format, settings.log_level)
    app = build_app(settings, spec)
    uvicorn.run(
        app,
        host=settings.http_host,
        port=settings.http_port or spec.default_http_port,
        log_config=None,
        lifespan="on",
        timeout_graceful_shutdown=10,
    )
