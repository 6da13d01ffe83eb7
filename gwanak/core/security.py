"""Security headers on every response."""

from __future__ import annotations

from flask import Flask, Response, request


def install_security_headers(app: Flask) -> None:
    @app.after_request
    def _headers(response: Response) -> Response:
        frame_ancestors = "'self'"
        if request.path.startswith("/widgets/"):
            frame_ancestors = app.config["WIDGET_FRAME_ANCESTORS"]
        # Inline style only as the exact first-screen CSS, by hash (gwanak.core.delivery).
        style_src = " ".join(["'self'", *app.config.get("CSP_STYLE_SOURCES", [])])
        response.headers.setdefault(
            "Content-Security-Policy",
            f"default-src 'self'; script-src 'self'; style-src {style_src}; img-src 'self' data:; "
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
