"""The index of the 21 동 and each 동's stored page."""

from __future__ import annotations

from flask import abort

from gwanak.autonomy import bp
from gwanak.core.htmx import render
from gwanak.core.menus import dong, dongs
from gwanak.pages.routes import show_page


@bp.route("/dongs")
def dong_index():
    return render("autonomy/dongs.html", block="content", dongs=dongs())


@bp.route("/dongs/<slug>")
def dong_page(slug: str):
    the_dong = dong(slug)
    if the_dong is None:
        abort(404)
    return show_page(the_dong.page_key, dong=the_dong)
