from __future__ import annotations

from flask import Blueprint

from gwanak.core.features import registry
from gwanak.core.htmx import render
from gwanak.core.menus import menus

bp = Blueprint("home", __name__)


@bp.route("/")
def index():
    # Each feature declares its "what is open now" sections (Feature.home_sections).
    sections = [s for s in (func() for func in registry().home_sections) if s]
    return render("home.html", block="content", menus=menus(), sections=sections)


@bp.route("/sitemap")
def sitemap():
    return render("sitemap.html", block="content", menus=menus())
