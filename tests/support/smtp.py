"""The tests' SMTP server is the project's one SMTP sink (tools/smtp_sink.py); `CountingSink` also watches the
connections, for the tests of connections kept open between mails, and can speak TLS (STARTTLS or from the first
byte) and take logins, for the tests of secured connections."""

from __future__ import annotations

import ssl
import threading
from typing import Any, Self

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP

from tools.smtp_sink import Received, SmtpSink, _Handler


class CountingSink(SmtpSink):
    """The sink, also counting the connections clients opened (those that said EHLO: not the server's own start-up
    probe), those still open and the QUITs; `drop_connections()` closes them from the server's side, without a word,
    as a server does with a connection idle too long.

    `ssl_context` makes it a TLS server from the first byte; `smtp_options` go to aiosmtpd's `SMTP` (`tls_context`
    offers STARTTLS, `authenticator` takes logins, ...). `tls` holds, per accepted mail, the TLS version it came over
    (None: in clear)."""

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int | None = None,
        *,
        ssl_context: ssl.SSLContext | None = None,
        **smtp_options: Any,
    ) -> None:
        super().__init__(host, port)
        self._sessions: list[SMTP] = []
        self._ssl_context = ssl_context
        self._smtp_options = smtp_options
        self.quits = 0
        self.tls: list[str | None] = []

    def start(self) -> Self:
        if self._controller is None:
            self._controller = _CountingController(
                self,
                hostname=self.host,
                port=self.port,
                ready_timeout=10,
                ssl_context=self._ssl_context,
                **self._smtp_options,
            )
            self._controller.start()
        return self

    def opened(self, server: SMTP) -> None:
        with self._lock:
            self._sessions.append(server)

    def said_goodbye(self) -> None:
        with self._lock:
            self.quits += 1

    def accepting(self, server: SMTP) -> None:
        with self._lock:
            self.tls.append(tls_version(server))

    @property
    def connections(self) -> int:
        """Connections opened by clients so far."""
        return len(self._greeted())

    @property
    def open_connections(self) -> int:
        return sum(1 for server in self._greeted() if server.transport is not None)

    def drop_connections(self) -> None:
        """Close every open connection now, on the server's thread; returns once they are closed."""
        assert self._controller is not None, "the sink is not running"
        closed = threading.Event()

        def close_all() -> None:
            for server in self._greeted():
                if server.transport is not None:
                    server.transport.close()
            closed.set()

        self._controller.loop.call_soon_threadsafe(close_all)
        assert closed.wait(5), "the server did not close its connections"

    def _greeted(self) -> list[SMTP]:
        with self._lock:
            return [server for server in self._sessions if server.session and server.session.host_name]


class _CountingHandler(_Handler):
    def __init__(self, sink: CountingSink) -> None:
        super().__init__(sink)
        self._counting = sink

    async def handle_QUIT(self, server: Any, session: Any, envelope: Any) -> str:
        self._counting.said_goodbye()
        return "221 Bye"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self._counting.accepting(server)
        return await super().handle_DATA(server, session, envelope)


class _CountingController(Controller):
    def __init__(self, sink: CountingSink, **kwargs: Any) -> None:
        super().__init__(_CountingHandler(sink), **kwargs)
        self._sink = sink

    def factory(self) -> SMTP:
        server = SMTP(self.handler, **self.SMTP_kwargs)  # what Controller.factory does
        self._sink.opened(server)
        return server


def tls_version(server: SMTP) -> str | None:
    """The TLS version of a server's connection (STARTTLS or from the first byte), None in clear."""
    ssl_object = server.transport.get_extra_info("ssl_object") if server.transport is not None else None
    return None if ssl_object is None else str(ssl_object.version())


__all__ = ["CountingSink", "Received", "SmtpSink", "tls_version"]
