"""A notice board's pages, mounted inside a menu blueprint by `mount_notice_board`."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, abort, flash, redirect, request, session, url_for
from flask_login import current_user

from gwanak.core.htmx import render
from gwanak.core.params import page_arg
from gwanak.core.permissions import may_edit, require_edit
from gwanak.core.settings import get_setting
from gwanak.notices import operations as ops
from gwanak.notices.forms import DeleteForm, NoticeForm
from gwanak.notices.operations import NoticeBoard

SEEN_KEY = "seen_notices"


def _first_view_in_session(notice_id: int) -> bool:
    """True once per visitor session: reloading a notice does not inflate its count.
    The signed session cookie remembers the last few notices seen, at no DB cost."""
    seen = list(session.get(SEEN_KEY, []))
    if notice_id in seen:
        return False
    seen.append(notice_id)
    session[SEEN_KEY] = seen[-get_setting("notices.remembered_views") :]
    return True


def mount_notice_board(
    bp: Blueprint, rule: str, resolve: Callable[..., NoticeBoard], endpoint: str = "notice"
) -> None:
    """Add list, detail, new, edit and delete pages at `rule` (e.g. "/notices").

    `resolve(**view_args)` returns the board (or aborts 404) from the rule's own
    arguments, so one mount serves a fixed board or one board per 동.
    """

    def notice_list(**args):
        board = resolve(**args)
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

    def notice_detail(nid: int, **args):
        board = resolve(**args)
        if _first_view_in_session(nid):
            ops.count_view(board, nid)
        notice = ops.get_notice(board, nid)
        if notice is None:
            abort(404)
        return render(
            "notices/detail.html",
            block="content",
            board=board,
            notice=notice,
            may_edit=may_edit(current_user, notice),
            delete_form=DeleteForm(),
        )

    def notice_new(**args):
        board = resolve(**args)
        require_edit(board)
        form = NoticeForm()
        if form.validate_on_submit():
            try:
                notice = ops.create_notice(
                    board,
                    current_user.id,
                    title=form.title.data,
                    body_md=form.body.data or "",
                    pinned=form.pinned.data,
                    files=request.files.getlist(form.files.name),
                )
            except ops.NoticeError as error:
                _attach_error(form, error)
            else:
                flash("공지를 올렸습니다.", "success")
                return redirect(
                    url_for(board.endpoint("detail"), nid=notice.id, **board.url_args), code=303
                )
        status = 422 if form.errors else 200
        return render("notices/form.html", board=board, form=form, notice=None), status

    def notice_edit(nid: int, **args):
        board = resolve(**args)
        notice = ops.get_notice(board, nid)
        if notice is None:
            abort(404)
        require_edit(notice)
        form = NoticeForm(obj=None)
        if request.method == "GET":
            form.title.data, form.body.data, form.pinned.data = (
                notice.title,
                notice.body_md,
                notice.pinned,
            )
        if form.validate_on_submit():
            try:
                ops.edit_notice(
                    notice,
                    current_user.id,
                    title=form.title.data,
                    body_md=form.body.data or "",
                    pinned=form.pinned.data,
                    remove_file_ids=request.form.getlist("remove_file", type=int),
                    files=request.files.getlist(form.files.name),
                )
            except ops.NoticeError as error:
                _attach_error(form, error)
                notice = ops.get_notice(board, nid)
            else:
                flash("공지를 고쳤습니다.", "success")
                return redirect(
                    url_for(board.endpoint("detail"), nid=notice.id, **board.url_args), code=303
                )
        status = 422 if form.errors else 200
        return render("notices/form.html", board=board, form=form, notice=notice), status

    def notice_delete(nid: int, **args):
        board = resolve(**args)
        notice = ops.get_notice(board, nid)
        if notice is None:
            abort(404)
        require_edit(notice)
        if not DeleteForm().validate_on_submit():
            abort(400)
        ops.delete_notice(notice, current_user.id)
        flash("공지를 삭제했습니다.", "success")
        return redirect(url_for(board.endpoint("list"), **board.url_args), code=303)

    bp.add_url_rule(rule, f"{endpoint}_list", notice_list)
    bp.add_url_rule(f"{rule}/<id:nid>", f"{endpoint}_detail", notice_detail)
    bp.add_url_rule(f"{rule}/new", f"{endpoint}_new", notice_new, methods=["GET", "POST"])
    bp.add_url_rule(
        f"{rule}/<id:nid>/edit", f"{endpoint}_edit", notice_edit, methods=["GET", "POST"]
    )
    bp.add_url_rule(
        f"{rule}/<id:nid>/delete", f"{endpoint}_delete", notice_delete, methods=["POST"]
    )


def _attach_error(form: NoticeForm, error: ops.NoticeError) -> None:
    target = getattr(form, error.field or "", None)
    if target is not None:
        target.errors = list(target.errors) + [str(error)]
    else:
        form.form_errors.append(str(error))
