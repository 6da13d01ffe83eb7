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


def _fixed_headers(app: Flask, frame_ancestors: str) -> tuple[tuple[str, str], ...]:
    # Inline style only as the exact first-screen CSS, by hash (gwanak.core.delivery).
    style_src = " ".join(["'self'", *app.config.get("CSP_STYLE_SOURCES", [])])
    headers = [
        (
            "Content-Security-Policy",
            f"default-src 'self'; script-src 'self'; style-src {style_src}; img-src 'self' data:; "
            "object-src 'none'; base-uri 'self'; form-action 'self'; "
            f"frame-ancestors {frame_ancestors}",
        ),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "strict-origin-when-cross-origin"),
        ("Permissions-Policy", "camera=(), microphone=(), geolocation=()"),
    ]
    if frame_ancestors == "'none'":
        headers.append(("X-Frame-Options", "DENY"))
    if app.config.get("SESSION_COOKIE_SECURE"):
        headers.append(("Strict-Transport-Security", "max-age=31536000; includeSubDomains"))
    return tuple(headers)


def install_security_headers(app: Flask) -> None:
    # Only widgets may be framed, and only by the configured origins; every other page
    # refuses any frame (CSP for today's browsers, X-Frame-Options for old ones). Every
    # other page's headers are the same, so they are built once, at the first response
    # (the delivery feature has set the CSS hash in the config by then).
    built: list[tuple[tuple[str, str], ...]] = []

    def headers_for(widget: bool) -> tuple[tuple[str, str], ...]:
        if widget:
            ancestors = widget_frame_ancestors(app.config.get("WIDGET_FRAME_ANCESTORS"))
            return _fixed_headers(app, ancestors)
        if not built:
            built.append(_fixed_headers(app, "'none'"))
        return built[0]

    @app.after_request
    def _headers(response: Response) -> Response:
        present = response.headers
        for name, value in headers_for(request.path.startswith(WIDGET_PREFIX)):
            if name not in present:
                present[name] = value
        if _holds_personal_data():
            present["Cache-Control"] = "no-store"
        return response
