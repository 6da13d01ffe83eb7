"""Security headers on every response, and the guards every request passes first."""

from __future__ import annotations

from flask import Flask, Response, abort, request

# What an HTML form (or htmx, which sends the same) can post. Anything else — JSON
# above all — is not for our routes: 415, rather than a form library guessing at it.
FORM_MIMETYPES = frozenset({"application/x-www-form-urlencoded", "multipart/form-data"})
BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def install_request_guards(app: Flask) -> None:
    """Form routes take form bodies only; NUL never reaches a query (PostgreSQL refuses it)."""

    @app.before_request
    def _guard_input():
        if request.method in BODY_METHODS and request.content_length != 0:
            if request.mimetype and request.mimetype not in FORM_MIMETYPES:
                abort(415)
        if "\x00" in request.path or any(
            "\x00" in key or "\x00" in value for key, value in request.args.items(multi=True)
        ):
            abort(400)


def install_security_headers(app: Flask) -> None:
    @app.after_request
    def _headers(response: Response) -> Response:
        frame_ancestors = "'self'"
        if request.path.startswith("/widgets/"):
            frame_ancestors = app.config["WIDGET_FRAME_ANCESTORS"]
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
