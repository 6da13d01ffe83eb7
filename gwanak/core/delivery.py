"""How responses travel to a cheap phone on a slow network.

- HTML, CSS, JS and SVG are compressed (brotli, else gzip) by Flask-Compress, in the
  app itself, so `flask run` and gunicorn alone already send small responses.
- Static files are cached by version: `static_url()` adds `?v=<content hash>`; a
  request with the current hash may be cached for a year (`immutable`), any other
  static request only briefly, so a changed file is never stuck in a browser.
- The CSS the first screen needs arrives inline with the HTML (static/critical.css,
  allowed by its CSP hash); the rest of the stylesheet loads at the end of <body>.
- /favicon.ico exists, so a first visit logs no 404.
"""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path

from flask import Flask, Response, request, send_from_directory
from markupsafe import Markup

from gwanak.core.extensions import compress

STATIC_ROOT = Path(__file__).resolve().parent.parent.parent / "static"
CRITICAL_CSS = "critical.css"

# A year, the longest lifetime browsers honour, for URLs whose content never changes.
VERSIONED_MAX_AGE = 31_536_000
# Unversioned static URLs (typed, bookmarked, or from an old page) are revalidated soon.
UNVERSIONED_MAX_AGE = 3_600
FAVICON_MAX_AGE = 7 * 86_400

COMPRESSION_DEFAULTS = {
    "COMPRESS_MIMETYPES": [
        "text/html",
        "text/css",
        "text/javascript",
        "application/javascript",
        "application/json",
        "text/csv",
        "image/svg+xml",
        "image/vnd.microsoft.icon",
        "image/x-icon",
    ],
    # Brotli is about a fifth smaller than gzip on our pages; gzip for older clients.
    "COMPRESS_ALGORITHM": ["br", "gzip"],
    # Static files are sent as streams; the library leaves gzip out of streams by default.
    "COMPRESS_ALGORITHM_STREAMING": ["br", "gzip"],
    "COMPRESS_BR_LEVEL": 5,
    "COMPRESS_MIN_SIZE": 500,
}

_versions: dict[str, str] = {}


def static_version(filename: str) -> str:
    """The first 10 hex digits of the file's SHA-256: its version in static URLs."""
    if filename not in _versions:
        data = (STATIC_ROOT / filename).read_bytes()
        _versions[filename] = hashlib.sha256(data).hexdigest()[:10]
    return _versions[filename]


def critical_css() -> tuple[str, str]:
    """The inline first-screen CSS and its CSP source expression ('sha256-…')."""
    text = (STATIC_ROOT / CRITICAL_CSS).read_text(encoding="utf-8").strip()
    digest = base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")
    return text, f"'sha256-{digest}'"


def install_delivery(app: Flask) -> None:
    for key, value in COMPRESSION_DEFAULTS.items():
        app.config.setdefault(key, value)
    compress.init_app(app)

    text, source = critical_css()
    app.config["CSP_STYLE_SOURCES"] = [*app.config.get("CSP_STYLE_SOURCES", []), source]
    app.jinja_env.globals["critical_css"] = Markup(text)

    @app.after_request
    def _cache_static_by_version(response: Response) -> Response:
        if request.endpoint != "static" or response.status_code not in (200, 304):
            return response
        filename = (request.view_args or {}).get("filename", "")
        if request.args.get("v") == _current_version(filename):
            response.headers["Cache-Control"] = f"public, max-age={VERSIONED_MAX_AGE}, immutable"
        else:
            response.headers["Cache-Control"] = f"public, max-age={UNVERSIONED_MAX_AGE}"
        return response

    def favicon():
        return send_from_directory(
            STATIC_ROOT, "favicon.ico", mimetype="image/x-icon", max_age=FAVICON_MAX_AGE
        )

    app.add_url_rule("/favicon.ico", "favicon", favicon)


def _current_version(filename: str) -> str | None:
    try:
        return static_version(filename)
    except OSError:
        return None
