"""HTTP hardening of the page: security headers on every response and the cookies' attributes.

The CSP allows nothing but the page's own origin (no inline script, no inline style: the SVG charts use attributes),
frames are refused, no referrer leaves the page, and data pages are never cached (a shared office computer's cache
must not keep a follow-up list).
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

SESSION_COOKIE = "journey_session"
LOGIN_CSRF_COOKIE = "journey_login_csrf"

HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'none'; object-src 'none';"
        " base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
}


class SecurityHeaders:
    """Adds `HEADERS` to every response, and `Cache-Control: no-store` to all but the static files."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        static = str(scope.get("path", "")).startswith("/static/")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in HEADERS.items():
                    headers[name] = value
                headers["Cache-Control"] = "public, max-age=3600" if static else "no-store"
            await send(message)

        await self.app(scope, receive, send_with_headers)


def set_cookie(
    response: Response, request: Request, name: str, value: str, secure: bool, max_age: int | None = None
) -> None:
    """HttpOnly, SameSite=Strict, Secure over https or when the settings say the page is served over https."""
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        path="/",
        httponly=True,
        samesite="strict",
        secure=secure or request.url.scheme == "https",
    )


def clear_cookie(response: Response, request: Request, name: str, secure: bool) -> None:
    response.delete_cookie(
        name, path="/", httponly=True, samesite="strict", secure=secure or request.url.scheme == "https"
    )
