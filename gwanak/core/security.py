"""Security headers on every response."""

from __future__ import annotations

import re

from flask import Flask, Response, request

WIDGET_PREFIX = "/widgets/"
ORIGIN_RE = re.compile(r"https?://(\*\.)?[A-Za-z0-9.-]+(:\d{1,5})?")


def widget_frame_ancestors(configured: str | None) -> str:
    """The CSP sources allowed to frame a widget: 'self' (the 퍼가기 page previews the
    widgets) and the configured origins (the district homepage), space-separated.
    Only origins (https://www.example.go.kr, http://127.0.0.1:8000, https://*.example.kr)
    are taken, so a bad setting can neither end the header nor allow every site."""
    sources = ["'self'"]
    for token in (configured or "").split():
        if ORIGIN_RE.fullmatch(token) and token not in sources:
            sources.append(token)
    return " ".join(sources)


def install_security_headers(app: Flask) -> None:
    @app.after_request
    def _headers(response: Response) -> Response:
        # Only widgets may be framed, and only by the configured origins; every other
        # page refuses any frame (CSP for today's browsers, X-Frame-Options for old ones).
        if request.path.startswith(WIDGET_PREFIX):
            frame_ancestors = widget_frame_ancestors(app.config.get("WIDGET_FRAME_ANCESTORS"))
        else:
            frame_ancestors = "'none'"
            response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            "object-src 'none'; base-uri 'self'; form-action 'self'; "
            f"frame-ancestors {frame_ancestors}",
        )
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=()"
        )
        if app.config.get("SESSION_COOKIE_SECURE"):
            response.headers.setdefault(
                "Strict-Transport-Security", "max-age=31536000; includeSubDomains"
            )
        if "text/html" in response.content_type and request.path.startswith(("/staff", "/auth")):
            response.headers.setdefault("Cache-Control", "no-store")
        return response
