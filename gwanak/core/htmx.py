"""One template, two deliveries: the full page, or one block of it for htmx."""

from __future__ import annotations

from flask import Flask, Response, g, redirect, render_template, request, url_for
from jinja2_fragments.flask import render_block
from markupsafe import escape

# The request headers a response may differ by once a route has asked `is_htmx()`.
HTMX_VARY = ("HX-Request", "HX-History-Restore-Request")


def is_htmx() -> bool:
    """True when htmx asks for a fragment to swap into the page it already shows.

    A history-restore request (Back to a URL a filter pushed, not in htmx's cache)
    rebuilds the whole page from the answer, so it gets the whole page.
    """
    g.varies_by_htmx = True
    return (
        request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-History-Restore-Request") != "true"
    )


def render(template: str, block: str | None = None, **context) -> str:
    """Render the whole page, or only `block` when htmx asks for it."""
    if block and is_htmx():
        return render_block(template, block, **context)
    return render_template(template, **context)


def redirect_or_render(endpoint_or_url: str, template: str, block: str, **context):
    """After a POST: redirect (no JS) or answer htmx with the swapped fragment."""
    if is_htmx():
        return render_block(template, block, **context)
    target = endpoint_or_url if endpoint_or_url.startswith("/") else url_for(endpoint_or_url)
    return redirect(target, code=303)


def announce(message: str) -> str:
    """An out-of-band swap that puts `message` in the page's polite live region
    (#announce in base.html), so a screen reader says what a swap did. A plain str, to
    append to rendered HTML (adding a Markup would escape the HTML before it)."""
    return f'<div id="announce" data-hx-swap-oob="innerHTML">{escape(message)}</div>'


def install_vary_on_htmx(app: Flask) -> None:
    """Say `Vary: HX-Request` on every response whose route asked `is_htmx()`, so no
    cache hands a fragment to a full-page load or the reverse."""

    @app.after_request
    def _vary(response: Response) -> Response:
        if g.pop("varies_by_htmx", False):
            for header in HTMX_VARY:
                response.vary.add(header)
        return response
