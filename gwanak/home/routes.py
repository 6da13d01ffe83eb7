from __future__ import annotations

from datetime import date, datetime
from xml.sax.saxutils import escape

from flask import Blueprint, Response

from gwanak.core import clock
from gwanak.core.features import registry
from gwanak.core.htmx import render
from gwanak.core.menus import menus
from gwanak.core.outward import SitemapEntry, absolute_url
from gwanak.core.settings import SettingSpec, get_setting

bp = Blueprint("home", __name__)

# Kept out of search engines: the back office, log-in and account pages, residents' own
# applications and entries, search results, and the widgets (copies of pages).
# Rules as data: installed by this feature (Feature.settings).
SETTINGS = (
    SettingSpec(
        "sitemap.cache_seconds",
        "sitemap.xml을 다시 묻지 않고 쓰는 시간(초)",
        3600,
        minimum=0,
        maximum=86400,
        help="검색엔진은 사이트맵을 가끔 읽으므로 한 시간쯤 된 사본이면 충분합니다.",
    ),
)
ROBOTS_DISALLOW = (
    "/staff",
    "/auth",
    "/cheong/date-apply/",
    "/policy/contest/mine",
    "/search",
    "/widgets/",
)


@bp.route("/")
def index():
    # Each feature declares its "what is open now" sections (Feature.home_sections).
    sections = [s for s in (func() for func in registry().home_sections) if s]
    return render("home.html", block="content", menus=menus(), sections=sections)


@bp.route("/sitemap")
def sitemap():
    return render("sitemap.html", block="content", menus=menus())


def home_sitemap() -> list[SitemapEntry]:
    """The home page, the site map and every menu's landing and feature pages (stored
    pages come from the pages feature, with their dates)."""
    entries = [SitemapEntry("/"), SitemapEntry("/sitemap")]
    for m in menus():
        entries.append(SitemapEntry(m.path))
        entries += [SitemapEntry(item.path) for item in m.items if not item.is_page]
    return entries


def _lastmod(value: date | datetime | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return clock.to_kst(value).date().isoformat()
    return value.isoformat()


@bp.route("/sitemap.xml")
def sitemap_xml():
    """Every public page the features declare (Feature.sitemap), each once, with its
    last change where known."""
    seen: dict[str, SitemapEntry] = {}
    for source in registry().sitemap:
        for entry in source():
            seen.setdefault(entry.path, entry)
    lines = ['<?xml version="1.0" encoding="UTF-8"?>']
    lines.append('<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">')
    for entry in seen.values():
        lastmod = _lastmod(entry.lastmod)
        lines.append(
            f"<url><loc>{escape(absolute_url(entry.path))}</loc>"
            + (f"<lastmod>{lastmod}</lastmod>" if lastmod else "")
            + "</url>"
        )
    lines.append("</urlset>")
    response = Response("\n".join(lines) + "\n", mimetype="application/xml")
    response.headers["Cache-Control"] = f"public, max-age={get_setting('sitemap.cache_seconds')}"
    return response


@bp.route("/robots.txt")
def robots_txt():
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in ROBOTS_DISALLOW)]
    lines += ["", f"Sitemap: {absolute_url('/sitemap.xml')}"]
    return Response("\n".join(lines) + "\n", mimetype="text/plain")
