"""What a cheap phone on a slow network receives: compressed responses, static files
cached by version, the first screen's CSS inline, a favicon, and Vary where it counts."""

from __future__ import annotations

import base64
import gzip
import hashlib
import re
from pathlib import Path

import brotli
import pytest

STATIC = Path(__file__).resolve().parent.parent / "static"


def _static_urls(html: str) -> dict[str, str]:
    """The versioned URLs a page links: {'site.css': '/static/site.css?v=…', …}."""
    urls = re.findall(r'(?:href|src)="(/static/([^"?]+)\?v=[0-9a-f]+)"', html)
    return {name: url for url, name in urls}


@pytest.mark.parametrize(
    ("encoding", "decompress"), [("br", brotli.decompress), ("gzip", gzip.decompress)]
)
def test_pages_stylesheet_and_scripts_travel_compressed(client, encoding, decompress):
    plain_page = client.get("/budget/about")
    page = client.get("/budget/about", headers={"Accept-Encoding": encoding})
    assert page.headers["Content-Encoding"] == encoding
    assert "Accept-Encoding" in page.headers["Vary"]
    assert decompress(page.data) == plain_page.data
    assert len(page.data) < len(plain_page.data) / 2

    urls = _static_urls(plain_page.get_data(as_text=True))
    for name in ("site.css", "vendor/htmx-2.0.11.min.js", "gwanak.js"):
        response = client.get(urls[name], headers={"Accept-Encoding": encoding})
        assert response.status_code == 200, name
        assert response.headers["Content-Encoding"] == encoding, name
        assert decompress(response.data) == (STATIC / name).read_bytes(), name


def test_a_client_that_asks_for_no_compression_gets_none(client):
    response = client.get("/", headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in response.headers
    assert response.data.lstrip().startswith(b"<!doctype html>")


def test_versioned_static_urls_are_cached_for_a_year_and_others_briefly(client):
    urls = _static_urls(client.get("/").get_data(as_text=True))
    assert {"site.css", "vendor/htmx-2.0.11.min.js", "gwanak.js", "favicon.svg"} <= set(urls)
    for url in urls.values():
        cache = client.get(url).headers["Cache-Control"]
        assert cache == "public, max-age=31536000, immutable", url
    for stale_or_bare in ("/static/site.css", "/static/site.css?v=0000000000"):
        cache = client.get(stale_or_bare).headers["Cache-Control"]
        assert "immutable" not in cache and cache == "public, max-age=3600", stale_or_bare


def test_a_first_visit_finds_a_favicon(client):
    html = client.get("/").get_data(as_text=True)
    assert re.search(r'<link rel="icon" href="/static/favicon.svg\?v=[0-9a-f]+"', html)
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200 and icon.mimetype == "image/x-icon"
    assert icon.data[:4] == b"\x00\x00\x01\x00"  # an ICO file
    assert "max-age=604800" in icon.headers["Cache-Control"]


def test_the_first_screen_css_is_inline_and_allowed_by_its_csp_hash(client):
    response = client.get("/policy/proposals")
    html = response.get_data(as_text=True)
    head = html.split("</head>")[0]
    # Nothing in <head> blocks rendering: no stylesheet link, scripts deferred.
    assert 'rel="stylesheet"' not in head
    assert all("defer" in tag for tag in re.findall(r"<script[^>]*>", head))
    inline = re.search(r"<style>(.*?)</style>", head, re.S).group(1)
    assert inline == (STATIC / "critical.css").read_text(encoding="utf-8").strip()
    digest = base64.b64encode(hashlib.sha256(inline.encode()).digest()).decode()
    style_src = re.search(r"style-src ([^;]+)", response.headers["Content-Security-Policy"])
    assert style_src.group(1).split() == ["'self'", f"'sha256-{digest}'"]
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    # The rest of the stylesheet comes last in <body>.
    body_end = html.split("</footer>")[1]
    assert re.search(r'<link rel="stylesheet" href="/static/site.css\?v=[0-9a-f]+">', body_end)


def test_our_css_and_js_stay_within_budget():
    css = (STATIC / "critical.css").stat().st_size + (STATIC / "site.css").stat().st_size
    assert css < 15 * 1024
    assert (STATIC / "gwanak.js").stat().st_size < 3 * 1024


def test_responses_that_differ_by_htmx_say_so_in_vary(client):
    for path in ("/", "/policy/proposals", "/budget/about"):
        vary = client.get(path).headers["Vary"]
        assert "HX-Request" in vary and "Accept-Encoding" in vary, path
    # A static file is the same whoever asks.
    assert "HX-Request" not in client.get("/static/site.css").headers.get("Vary", "")
