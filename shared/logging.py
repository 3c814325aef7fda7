"""structlog set-up: JSON off a TTY, console on one; message context bound through contextvars."""

from __future__ import annotations

import logging
import sys
from typing import Literal

import structlog

# Fields of a message being handled that library lines (FastStream's "Received", "Processed", its errors) carry
# as `extra`; everything else a library passes as `extra` stays out of the output.
MESSAGE_FIELDS = ("ce_id", "ce_type", "participant_id", "topic", "partition", "offset", "group_id", "batch_size")


def configure_logging(
    service: str, log_format: Literal["auto", "json", "console"] = "auto", level: str = "INFO"
) -> None:
    """Configure structlog and the standard library once per process."""
    as_json = log_format == "json" or (log_format == "auto" and not sys.stderr.isatty())
    shared: list[structlog.types.Processor] = [
        structlog.contextvars.merge_contextvars,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]
    renderer: structlog.types.Processor = (
        structlog.processors.JSONRenderer() if as_json else structlog.dev.ConsoleRenderer()
    )
    structlog.configure(
        processors=[
            *shared,
            structlog.processors.StackInfoRenderer(),
            *([structlog.processors.dict_tracebacks] if as_json else []),
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level.upper())),
        logger_factory=structlog.PrintLoggerFactory(file=sys.stderr),
        cache_logger_on_first_use=True,
    )
    # Library loggers (aiokafka, faststream, uvicorn) go through the same renderer.
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            foreign_pre_chain=[*shared, structlog.stdlib.ExtraAdder(allow=MESSAGE_FIELDS)],
            processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, renderer],
        )
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    logging.getLogger("aiokafka").setLevel("WARNING")
    logging.getLogger("uvicorn.access").setLevel("WARNING")
    structlog.contextvars.clear_contextvars()
    structlog.contextvars.bind_contextvars(service=service)
