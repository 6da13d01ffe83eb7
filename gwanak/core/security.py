"""Security headers on every response, and the guards every request passes first."""

from __future__ import annotations

import ipaddress
import re

from flask import Flask, Response, abort, current_app, request

# What an HTML form (or htmx, which sends the same) can post. Anything else — JSON
# above all — is not for our routes: 415, rather than a form library guessing at it.
FORM_MIMETYPES = frozenset({"application/x-www-form-urlencoded", "multipart/form-data"})
BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def client_network(address: str | None) -> str:
    """A client's address as one party: IPv4 as is, IPv6 by its /64 (the devices of one
    household share it and rotate their own part every few hours)."""
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return address or "-"
    if ip.version == 6:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def personal_data(view):
    """Mark a view whose answer holds personal data (rosters, entries, applications, my
    pages): browsers and proxies must keep no copy of it (`Cache-Control: no-store`).
    Back-office (`…/staff…`) and account (`/auth…`) addresses need no mark."""
    view.personal_data = True
    return view


def _holds_personal_data() -> bool:
    segments = request.path.split("/")
    if "staff" in segments or request.path.startswith("/auth"):
        return True
    view = current_app.view_functions.get(request.endpoint or "")
    return bool(getattr(view, "personal_data", False))


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
        if _holds_personal_data():
            response.headers["Cache-Control"] = "no-store"
        return response
