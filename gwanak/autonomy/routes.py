"""The index of the 21 동 and each 동's page: stored introduction, committee members,
programmes and the 동's own notice board. Staff of the 동 주민센터 and 자치행정과 edit."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import abort, flash, redirect, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm

from gwanak.autonomy import operations as ops
from gwanak.autonomy.blueprint import bp
from gwanak.autonomy.forms import DeleteForm, MemberForm, ProgrammeForm
from gwanak.core.confirm import ask_before_deleting
from gwanak.core.extensions import db
from gwanak.core.htmx import render
from gwanak.core.menus import Dong, dong, dongs
from gwanak.core.operations import OperationError, show_on_form
from gwanak.core.permissions import AUTONOMY_DEPARTMENT, department, may_edit, require_edit
from gwanak.notices.boards import dong_notice_board
from gwanak.notices.operations import latest_notices
from gwanak.notices.routes import mount_notice_board
from gwanak.pages.routes import show_page


def _dong_or_404(slug: str) -> Dong:
    the_dong = dong(slug)
    if the_dong is None:
        abort(404)
    return the_dong


def _owner(slug: str):
    """The 동 as an owned thing: its 주민센터 and 자치행정과 may edit it."""
    return department(AUTONOMY_DEPARTMENT, slug)


@bp.route("/dongs")
def dong_index():
    return render("autonomy/dongs.html", block="content", dongs=dongs())


@bp.route("/dongs/<slug>")
def dong_page(slug: str):
    the_dong = _dong_or_404(slug)
    board = dong_notice_board(slug)
    return show_page(
        the_dong.page_key,
        template="autonomy/dong.html",
        dong=the_dong,
        members=ops.members_of(slug),
        programmes=ops.programmes_of(slug),
        notices=latest_notices(board),
        board=board,
        may_manage=may_edit(current_user, _owner(slug)),
    )


mount_notice_board(bp, "/dongs/<slug>/notices", dong_notice_board, endpoint="dong_notice")


# ------------------------------------------------------------------ members and programmes


@dataclass(frozen=True)
class DongListPage:
    """How staff manage one list of a 동: its operations' list, its form, its words."""

    slug: str  # in the URL: /dongs/<동>/<slug>
    kind: ops.DongList
    form: type[FlaskForm]
    noun: str  # 위원, 프로그램
    added: str
    changed: str
    removed: str
    rows_template: str  # the list with edit and delete links
    fields_template: str  # the form's fields
    confirm: Callable[[Any], str]  # what the delete confirmation page says


MEMBERS_PAGE = DongListPage(
    slug="members",
    kind=ops.MEMBERS,
    form=MemberForm,
    noun="위원",
    added="위원을 추가했습니다.",
    changed="위원 정보를 고쳤습니다.",
    removed="위원을 명단에서 뺐습니다.",
    rows_template="autonomy/_member_rows.html",
    fields_template="autonomy/_member_fields.html",
    confirm=lambda member: f"주민자치회 위원 {member.name}님을 명단에서 뺍니다.",
)
PROGRAMMES_PAGE = DongListPage(
    slug="programmes",
    kind=ops.PROGRAMMES,
    form=ProgrammeForm,
    noun="프로그램",
    added="프로그램을 추가했습니다.",
    changed="프로그램을 고쳤습니다.",
    removed="프로그램을 지웠습니다.",
    rows_template="autonomy/_programme_rows.html",
    fields_template="autonomy/_programme_fields.html",
    confirm=lambda programme: f"프로그램 「{programme.title}」을 지웁니다.",
)
DONG_LISTS = {page.slug: page for page in (MEMBERS_PAGE, PROGRAMMES_PAGE)}


def _entry_or_404(page: DongListPage, slug: str, entry_id: int):
    entry = db.session.get(page.kind.model, entry_id)
    if entry is None or entry.dong != slug:
        abort(404)
    return entry


def _values(page: DongListPage, form: FlaskForm) -> dict:
    return {c.name: form[c.name].data for c in page.kind.columns} | {"position": form.position.data}


def _save(page: DongListPage, entry, slug: str, form: FlaskForm):
    """Save from the form; the redirect when it was saved, None when it was refused."""
    try:
        ops.save_entry(page.kind, entry, slug, current_user.id, **_values(page, form))
    except OperationError as error:
        show_on_form(form, error)
        return None
    flash(page.added if entry is None else page.changed, "success")
    return redirect(url_for("autonomy.dong_list", slug=slug, kind=page.slug), code=303)


@bp.route("/dongs/<slug>/<any(members, programmes):kind>", methods=["GET", "POST"])
def dong_list(slug: str, kind: str):
    """Staff manage a list of the 동: the entries with edit/delete, and a form to add."""
    the_dong = _dong_or_404(slug)
    require_edit(_owner(slug))
    page = DONG_LISTS[kind]
    form = page.form()
    if form.validate_on_submit() and (saved := _save(page, None, slug, form)):
        return saved
    return render(
        "autonomy/dong_list.html",
        dong=the_dong,
        page=page,
        entries=ops.entries_of(page.kind, slug),
        form=form,
        delete_form=DeleteForm(),
    ), (422 if form.errors or form.form_errors else 200)


@bp.route(
    "/dongs/<slug>/<any(members, programmes):kind>/<id:entry_id>/edit", methods=["GET", "POST"]
)
def dong_entry_edit(slug: str, kind: str, entry_id: int):
    the_dong = _dong_or_404(slug)
    page = DONG_LISTS[kind]
    entry = _entry_or_404(page, slug, entry_id)
    require_edit(entry)
    form = page.form(obj=entry if request.method == "GET" else None)
    if form.validate_on_submit() and (saved := _save(page, entry, slug, form)):
        return saved
    return render(
        "autonomy/dong_entry_form.html", dong=the_dong, page=page, entry=entry,
        form=form,
    ), (422 if form.errors or form.form_errors else 200)  # fmt: skip


@bp.route(
    "/dongs/<slug>/<any(members, programmes):kind>/<id:entry_id>/delete", methods=["GET", "POST"]
)
def dong_entry_delete(slug: str, kind: str, entry_id: int):
    _dong_or_404(slug)
    page = DONG_LISTS[kind]
    entry = _entry_or_404(page, slug, entry_id)
    require_edit(entry)
    if request.method == "GET":
        return ask_before_deleting(
            page.confirm(entry), url_for("autonomy.dong_list", slug=slug, kind=kind)
        )
    if not DeleteForm().validate_on_submit():
        abort(400)
    ops.delete_entry(page.kind, entry, current_user.id)
    flash(page.removed, "success")
    return redirect(url_for("autonomy.dong_list", slug=slug, kind=kind), code=303)
