"""A notice board's pages: a route table of views, mounted in a menu blueprint by
`mount_notice_board`.

Each rule carries the mount's `board_of` (in the rule's defaults): called with the
rule's own arguments it returns the board, so one mount serves a fixed board
(/governance/notices) or one board per 동 (/autonomy/dongs/<slug>/notices).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, abort, flash, redirect, request, session, url_for
from flask_login import current_user

from gwanak.core.confirm import ask_before_deleting
from gwanak.core.htmx import render
from gwanak.core.operations import OperationError, show_on_form
from gwanak.core.params import page_arg
from gwanak.core.permissions import may_edit, require_edit
from gwanak.core.settings import get_setting
from gwanak.notices import operations as ops
from gwanak.notices.forms import DeleteForm, NoticeForm
from gwanak.notices.models import Notice
from gwanak.notices.operations import NoticeBoard

SEEN_KEY = "seen_notices"

# Returns the board from the rule's own arguments (none, or the 동's slug); may 404.
BoardOf = Callable[..., NoticeBoard]


def _first_view_in_session(notice_id: int) -> bool:
    """True once per visitor session: reloading a notice does not inflate its count.
    The signed session cookie remembers the last few notices seen, at no DB cost."""
    seen = list(session.get(SEEN_KEY, []))
    if notice_id in seen:
        return False
    seen.append(notice_id)
    session[SEEN_KEY] = seen[-get_setting("notices.remembered_views") :]
    return True


def _notice_or_404(board: NoticeBoard, nid: int) -> Notice:
    notice = ops.get_notice(board, nid)
    if notice is None:
        abort(404)
    return notice


def _notice_url(board: NoticeBoard, notice: Notice) -> str:
    return url_for(board.endpoint("detail"), nid=notice.id, **board.url_args)


def notice_list(board_of: BoardOf, **url_args):
    board = board_of(**url_args)
    page = page_arg()
    notices, has_next = ops.list_notices(board, page)
    return render(
        "notices/list.html",
        block="content",
        board=board,
        notices=notices,
        page=page,
        has_next=has_next,
        may_post=may_edit(current_user, board),
    )


def notice_detail(board_of: BoardOf, nid: int, **url_args):
    board = board_of(**url_args)
    if _first_view_in_session(nid):
        ops.count_view(board, nid)
    notice = _notice_or_404(board, nid)
    return render(
        "notices/detail.html",
        block="content",
        board=board,
        notice=notice,
        may_edit=may_edit(current_user, notice),
        delete_form=DeleteForm(),
    )


def _notice_fields(form: NoticeForm) -> dict:
    return {
        "title": form.title.data,
        "body_md": form.body.data or "",
        "pinned": form.pinned.data,
        "files": request.files.getlist(form.files.name),
    }


def _form_page(board: NoticeBoard, form: NoticeForm, notice: Notice | None, save, done: str):
    """The notice form; on a valid POST `save()` (an operation) runs and the browser
    goes to the notice, or its refusal shows by the field."""
    if form.validate_on_submit():
        try:
            saved = save()
        except OperationError as error:
            show_on_form(form, error)
        else:
            flash(done, "success")
            return redirect(_notice_url(board, saved), code=303)
    html = render("notices/form.html", board=board, form=form, notice=notice)
    return html, 422 if form.errors else 200


def notice_new(board_of: BoardOf, **url_args):
    board = board_of(**url_args)
    require_edit(board)
    form = NoticeForm()
    return _form_page(
        board,
        form,
        None,
        lambda: ops.create_notice(board, current_user.id, **_notice_fields(form)),
        "공지를 올렸습니다.",
    )


def notice_edit(board_of: BoardOf, nid: int, **url_args):
    board = board_of(**url_args)
    notice = _notice_or_404(board, nid)
    require_edit(notice)
    form = NoticeForm(obj=None)
    if request.method == "GET":
        form.title.data, form.body.data = notice.title, notice.body_md
        form.pinned.data = notice.pinned
    return _form_page(
        board,
        form,
        notice,
        lambda: ops.edit_notice(
            notice,
            current_user.id,
            **_notice_fields(form),
            remove_file_ids=request.form.getlist("remove_file", type=int),
        ),
        "공지를 고쳤습니다.",
    )


def notice_delete(board_of: BoardOf, nid: int, **url_args):
    board = board_of(**url_args)
    notice = _notice_or_404(board, nid)
    require_edit(notice)
    if request.method == "GET":
        return ask_before_deleting(
            f"공지 「{notice.title}」를 삭제합니다.",
            url_for(board.endpoint("detail"), nid=notice.id, **board.url_args),
        )
    if not DeleteForm().validate_on_submit():
        abort(400)
    ops.delete_notice(notice, current_user.id)
    flash("공지를 삭제했습니다.", "success")
    return redirect(url_for(board.endpoint("list"), **board.url_args), code=303)


@dataclass(frozen=True)
class NoticeRoute:
    """One row of the notice board's route table: a page at <mount rule><rule>."""

    rule: str
    name: str  # the endpoint is <mount endpoint>_<name>: notice_list, dong_notice_detail
    view: Callable[..., Any]
    methods: tuple[str, ...] = ("GET",)


NOTICE_ROUTES = (
    NoticeRoute("", "list", notice_list),
    NoticeRoute("/<id:nid>", "detail", notice_detail),
    NoticeRoute("/new", "new", notice_new, ("GET", "POST")),
    NoticeRoute("/<id:nid>/edit", "edit", notice_edit, ("GET", "POST")),
    NoticeRoute("/<id:nid>/delete", "delete", notice_delete, ("GET", "POST")),
)


def mount_notice_board(
    bp: Blueprint, rule: str, board_of: BoardOf, endpoint: str = "notice"
) -> None:
    """Add the board's list, detail, new, edit and delete pages at `rule` (e.g.
    "/notices"), endpoints <endpoint>_list, …; `board_of(**rule arguments)` names the board."""
    for route in NOTICE_ROUTES:
        bp.add_url_rule(
            rule + route.rule,
            f"{endpoint}_{route.name}",
            route.view,
            methods=list(route.methods),
            defaults={"board_of": board_of},
        )
