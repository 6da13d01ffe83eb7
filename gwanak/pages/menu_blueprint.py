"""Every menu blueprint starts the same way: a landing page and its stored pages."""

from __future__ import annotations

from flask import Blueprint, abort

from gwanak.core.htmx import render
from gwanak.core.menus import menu
from gwanak.pages.routes import register_page_views


def make_menu_blueprint(slug: str, import_name: str) -> Blueprint:
    """A blueprint at /<slug> with the menu's landing page and its `page` sub-pages.

    Feature sub-pages are routes the menu's own module adds. Until a feature exists,
    its link shows an honest "준비 중" page rather than a 404.
    """
    the_menu = menu(slug)
    bp = Blueprint(slug, import_name, url_prefix=the_menu.path)

    @bp.route("", strict_slashes=False)
    def index():
        return render("menu_index.html", block="content", menu=the_menu)

    register_page_views(bp, the_menu)

    @bp.route("/<item_slug>")
    def not_ready(item_slug: str):
        item = next((i for i in the_menu.items if i.slug == item_slug), None)
        if item is None or item.is_page:
            abort(404)
        return render("not_ready.html", block="content", menu=the_menu, item=item)

    return bp
