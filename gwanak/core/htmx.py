"""One template, two deliveries: the full page, or one block of it for htmx."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from jinja2_fragments.flask import render_block


def is_htmx() -> bool:
    return request.headers.get("HX-Request") == "true"


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
