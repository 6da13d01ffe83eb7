"""Following a subject (알림 받기) and 내 알림: routes on the engine's public blueprint.

Both work with JS off (a form POST, then a redirect) and with htmx (the same form
swapped in place, with a sentence for screen readers)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from gwanak.core.extensions import db
from gwanak.core.htmx import announce, is_htmx
from gwanak.core.operations import OperationError
from gwanak.core.params import page_arg
from gwanak.participation import operations as ops
from gwanak.participation.forms import EmptyForm
from gwanak.participation.models import Discussion, Notification
from gwanak.participation.subjects import subject_of
from gwanak.participation.views import bp, follow_context

NOTIFICATIONS_PER_PAGE = 20


@bp.post("/discussions/<id:did>/follow")
def follow(did: int):
    discussion = db.session.get(Discussion, did)
    if discussion is None:
        abort(404)
    if not current_user.is_authenticated:
        abort(401)
    if not EmptyForm().validate_on_submit():
        abort(400)
    stop = request.form.get("action") == "unfollow"
    try:
        if stop:
            ops.unfollow(discussion, current_user)
        else:
            ops.follow(discussion, current_user)
    except OperationError as error:
        abort(error.status)
    message = (
        "알림을 껐습니다. 이 글의 소식을 더 보내지 않습니다."
        if stop
        else "알림을 켰습니다. 진행 상황이 바뀌면 내 알림과 메일로 알려 드립니다."
    )
    if is_htmx():
        html = render_template("participation/_follow.html", **follow_context(discussion))
        return html + announce(message)
    flash(message, "success")
    return redirect(subject_of(discussion).url(discussion) + "#follow", code=303)


def _signed_in() -> None:
    if not current_user.is_authenticated:
        abort(401)


@bp.route("/notifications")
def notifications():
    _signed_in()
    page = page_arg()
    rows = db.session.scalars(
        select(Notification)
        .where(Notification.user_id == current_user.id)
        .order_by(Notification.id.desc())
        .offset((page - 1) * NOTIFICATIONS_PER_PAGE)
        .limit(NOTIFICATIONS_PER_PAGE + 1)
    ).all()
    items = [(n, _subject_link(n)) for n in rows[:NOTIFICATIONS_PER_PAGE]]
    return render_template(
        "participation/notifications.html",
        items=items,
        page=page,
        has_next=len(rows) > NOTIFICATIONS_PER_PAGE,
        unread=ops.unread_count(current_user),
        empty_form=EmptyForm(formdata=None),
    )


def _subject_link(notification: Notification) -> str:
    discussion = db.session.get(Discussion, notification.discussion_id)
    return subject_of(discussion).url(discussion)


@bp.post("/notifications/<id:nid>/read")
def notification_read(nid: int):
    _signed_in()
    notification = db.session.get(Notification, nid)
    if notification is None:
        abort(404)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        ops.mark_read(notification, current_user)
    except OperationError as error:
        abort(error.status)
    if is_htmx():
        db.session.refresh(notification)
        html = render_template(
            "participation/_notification.html",
            n=notification,
            link=_subject_link(notification),
            empty_form=EmptyForm(formdata=None),
        )
        return html + announce("읽음으로 표시했습니다.")
    flash("읽음으로 표시했습니다.", "info")
    return redirect(url_for("participation.notifications", page=page_arg()), code=303)


@bp.post("/notifications/read")
def notifications_read_all():
    _signed_in()
    if not EmptyForm().validate_on_submit():
        abort(400)
    count = ops.mark_all_read(current_user)
    flash(f"알림 {count}건을 읽음으로 표시했습니다." if count else "새 알림이 없습니다.", "info")
    return redirect(url_for("participation.notifications"), code=303)


def unread_notifications() -> int:
    """The header's 내 알림 count (template global); 0 for anyone not signed in."""
    if not current_user.is_authenticated:
        return 0
    return ops.unread_count(current_user)
