"""A local SMTP catcher with a web page: every mail the notifications service sends, for people to look at.

`python -m tools.mailcatcher --smtp-port 1025 --http-port 8025 --dir .local/mail`
"""

from __future__ import annotations

import argparse
import asyncio
import html
import json
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import uvicorn

from tools.smtp_sink import Received, SmtpSink


class MailStore:
    """Keeps each accepted mail as an .eml file, numbered in arrival order."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        directory.mkdir(parents=True, exist_ok=True)

    def files(self) -> list[Path]:
        return sorted(self.directory.glob("*.eml"))

    def save(self, raw: bytes) -> Path:
        path = self.directory / f"{len(self.files()) + 1:06d}.eml"
        path.write_bytes(raw)
        return path

    def read(self, path: Path) -> EmailMessage:
        return message_from_bytes(path.read_bytes(), policy=policy.default)


def _body(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    return part.get_content() if part is not None else ""


def web_app(store: MailStore) -> Any:
    """A tiny ASGI page: the list of mails, newest first, each readable in full; `/api/messages` as JSON."""

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        mails = [(p.stem, store.read(p)) for p in reversed(store.files())]
        if scope["path"] == "/api/messages":
            body = json.dumps(
                [
                    {"id": i, "to": m["To"], "subject": m["Subject"], "date": m["Date"], "body": _body(m)}
                    for i, m in mails
                ]
            ).encode()
            content_type = b"application/json"
        else:
            rows = "".join(
                f"<details><summary><b>{html.escape(str(m['Subject']))}</b> &rarr; {html.escape(str(m['To']))}"
                f" <small>{html.escape(str(m['Date']))}</small></summary><pre>{html.escape(_body(m))}</pre></details>"
                for _, m in mails
            )
            body = (
                "<!doctype html><meta charset=utf-8><meta http-equiv=refresh content=5>"
                "<title>Integration Journey mail</title><style>body{font-family:sans-serif;margin:2em}"
                "details{border-bottom:1px solid #ddd;padding:.5em 0}pre{white-space:pre-wrap}</style>"
                f"<h1>Integration Journey: {len(mails)} mails caught</h1>{rows or '<p>No mail yet.</p>'}"
            ).encode()
            content_type = b"text/html; charset=utf-8"
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", content_type)]})
        await send({"type": "http.response.body", "body": body})

    return app


async def main(smtp_host: str, smtp_port: int, http_port: int, directory: Path) -> None:
    store = MailStore(directory)
    sink = SmtpSink(smtp_host, smtp_port)

    def keep(received: Received) -> None:  # on the sink's thread, one mail at a time
        store.save(received.raw)

    sink.on_accept = keep
    web = uvicorn.Server(uvicorn.Config(web_app(store), host=smtp_host, port=http_port, log_level="warning"))
    print(f"mailcatcher: SMTP on {smtp_host}:{smtp_port}, web page on http://{smtp_host}:{http_port}/", flush=True)
    with sink:
        await web.serve()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--smtp-port", type=int, default=1025)
    parser.add_argument("--http-port", type=int, default=8025)
    parser.add_argument("--dir", type=Path, default=Path(".local/mail"))
    args = parser.parse_args()
    asyncio.run(main(args.host, args.smtp_port, args.http_port, args.dir))
