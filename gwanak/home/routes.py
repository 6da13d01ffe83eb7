from __future__ import annotations

from flask import Blueprint

from gwanak.core.htmx import render
from gwanak.core.menus import menus

bp = Blueprint("home", __name__)

# Features add sections to the home page: functions returning (template, context) or None.
HOME_SECTIONS: list = []


def home_section(func):
    """Register a function that contributes a 'what is open now' section to the home page."""
    HOME_SECTIONS.append(func)
    return func


@bp.route("/")
def index():
    sections = [s for s in (func() for func in HOME_SECTIONS) if s]
    return render("home.html", block="content", menus=menus(), sections=sections)


@bp.route("/sitemap")
def sitemap():
    return render("sitemap.html", block="content", menus=menus())
