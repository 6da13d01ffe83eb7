"""Viewing stored pages (inside each menu) and editing them (staff)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_login import current_user

from gwanak.core.htmx import render
from gwanak.core.menus import Menu
from gwanak.core.permissions import may_edit, require_edit
from gwanak.pages.forms import PageForm, RestoreForm
from gwanak.pages.models import Page, PageRevision
from gwanak.pages.operations import (
    all_page_keys,
    ensure_page,
    get_page,
    page_owner,
    restore_revision,
    save_page,
)

bp = Blueprint("pages", __name__, url_prefix="/staff/pages")


class _Unsaved:
    """A page that staff have not written yet: shown with its default title."""

    def __init__(self, key: str, title: str):
        self.key = key
        self.title = title
        self.body_html = ""
        self.updated_at = None
        self.owner_department, self.owner_dong = page_owner(key)


def _known_title(key: str) -> str | None:
    return dict(all_page_keys()).get(key)


def show_page(key: str, template: str = "pages/page.html", **context):
    """Render a stored page; used by the menu blueprints for every `page` sub-page."""
    title = _known_title(key)
    if title is None:
        abort(404)
    page = get_page(key) or _Unsaved(key, title)
    return render(
        template,
        block="content",
        page=page,
        may_edit=may_edit(current_user, page),
        **context,
    )


def register_page_views(bp: Blueprint, menu: Menu) -> None:
    """Add a view for each `page` sub-page of the menu, at /<menu>/<slug>."""
    for item in menu.items:
        if not item.is_page:
            continue
        bp.add_url_rule(
            f"/{item.slug}",
            endpoint=item.slug.replace("-", "_"),
            view_func=lambda key=item.page_key: show_page(key),
        )


def _page_or_404(key: str) -> Page:
    title = _known_title(key)
    if title is None:
        abort(404)
    page = get_page(key)
    if page is None:
        require_edit(_Unsaved(key, title))
        page = ensure_page(key, title)
    return page


def public_url(key: str) -> str:
    return "/" + key


@bp.route("/")
def index():
    if not current_user.is_authenticated:
        abort(401)
    if not current_user.is_staff:
        abort(403)
    editable = []
    for key, title in all_page_keys():
        page = get_page(key) or _Unsaved(key, title)
        if may_edit(current_user, page):
            editable.append(page)
    return render("pages/index.html", pages=editable, public_url=public_url)


@bp.route("/<path:key>/edit", methods=["GET", "POST"])
def edit(key: str):
    page = _page_or_404(key)
    require_edit(page)
    form = PageForm(obj=None)
    if request.method == "GET":
        form.title.data = page.title
        form.body.data = page.body_md
    preview_html = None
    if form.validate_on_submit():
        if request.form.get("action") == "preview":
            from gwanak.core.markup import render_markdown

            preview_html = render_markdown(form.body.data or "")
        else:
            save_page(
                page, form.title.data, form.body.data or "", current_user.id, form.note.data or ""
            )
            flash("저장했습니다. 새 판이 기록되었습니다.", "success")
            return redirect(public_url(page.key), code=303)
    status = 422 if form.errors else 200
    return render(
        "pages/edit.html", page=page, form=form, preview_html=preview_html, public_url=public_url
    ), status


@bp.route("/<path:key>/revisions")
def revisions(key: str):
    page = _page_or_404(key)
    require_edit(page)
    return render(
        "pages/revisions.html",
        page=page,
        revisions=page.revisions.all(),
        form=RestoreForm(),
        public_url=public_url,
    )


@bp.route("/<path:key>/revisions/<id:number>")
def revision(key: str, number: int):
    page = _page_or_404(key)
    require_edit(page)
    rev = page.revisions.filter(PageRevision.number == number).first_or_404()
    return render(
        "pages/revision.html", page=page, rev=rev, form=RestoreForm(), public_url=public_url
    )


@bp.post("/<path:key>/revisions/<id:number>/restore")
def restore(key: str, number: int):
    page = _page_or_404(key)
    require_edit(page)
    rev = page.revisions.filter(PageRevision.number == number).first_or_404()
    if not RestoreForm().validate_on_submit():
        abort(400)
    new = restore_revision(page, rev, current_user.id)
    flash(f"{rev.number}판을 복원해 {new.number}판으로 저장했습니다.", "success")
    return redirect(url_for("pages.revisions", key=page.key), code=303)
