"""Feature routes of the cheong menu; stored pages are added by make_menu_blueprint.

Residents: 데이트신청 (apply, my applications, change, cancel). Public: 데이트상황판 and
구청장과 소통데이트. Staff of 감사담당관: gwanak/cheong/staff_routes.py.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from flask import abort, flash, redirect, request, url_for
from flask_login import current_user
from sqlalchemy import extract, func, select

from gwanak.cheong import operations as ops
from gwanak.cheong.blueprint import bp
from gwanak.cheong.forms import ActionForm, ApplicationForm, ChangeForm
from gwanak.cheong.models import STATE_LABELS, DateApplication, DateRecord, DateState
from gwanak.core import clock
from gwanak.core.extensions import db
from gwanak.core.htmx import render
from gwanak.core.markup import render_markdown
from gwanak.core.menus import menu
from gwanak.core.operations import OperationError, show_on_form
from gwanak.core.params import month_arg, page_arg
from gwanak.core.permissions import require_resident, resident_required
from gwanak.core.security import personal_data
from gwanak.core.settings import get_setting

BOARD_PAGE_SIZE = 20
RECORDS_PAGE_SIZE = 10


@bp.after_request
def _private_pages_are_not_cached(response):
    # A resident's own application and the staff pages carry personal data.
    if request.path.startswith(("/cheong/date-apply", "/cheong/staff")):
        response.headers["Cache-Control"] = "no-store"
    return response


def _own_application(application_id: int) -> DateApplication:
    application = db.get_or_404(DateApplication, application_id)
    if application.applicant_id != current_user.id:
        abort(403)
    return application


def _form_context(form) -> dict:
    return {
        "menu": menu("cheong"),
        "form": form,
        "slot_hours": ops.SLOT_HOURS,
        "max_group": get_setting("cheong.date_max_group"),
        "retention_days": get_setting("cheong.retention_days"),
        "first_day": clock.today() + timedelta(days=1),
    }


@bp.route("/date-apply", methods=["GET", "POST"])
@personal_data
def date_apply():
    """데이트신청: anyone reads how it works; signed-in residents apply."""
    form = ApplicationForm()
    if request.method == "POST":
        require_resident()
        if form.validate_on_submit():
            try:
                application = ops.apply(
                    current_user,
                    title=form.title.data,
                    body=form.body.data,
                    group_size=form.group_size.data,
                    preferences=form.preferences(),
                    phone=form.phone.data,
                    publish_body=form.publish_body.data,
                    consented=form.consent.data,
                )
            except OperationError as error:
                show_on_form(form, error)
            else:
                flash(
                    f"신청이 접수되었습니다 (번호 {application.id}). 메일로도 알려드립니다.",
                    "success",
                )
                return redirect(url_for("cheong.my_applications"), code=303)
        return render("cheong/apply.html", **_form_context(form)), 422
    return render("cheong/apply.html", block="content", **_form_context(form))


@bp.route("/date-apply/mine")
@personal_data
@resident_required
def my_applications():
    rows = db.session.scalars(
        select(DateApplication)
        .where(DateApplication.applicant_id == current_user.id)
        .order_by(DateApplication.id.desc())
    ).all()
    return render("cheong/mine.html", block="content", menu=menu("cheong"), rows=rows)


@bp.route("/date-apply/<id:application_id>", methods=["GET", "POST"])
@personal_data
@resident_required
def my_application(application_id: int):
    """The applicant's own application: details, history, change while still open."""
    application = _own_application(application_id)
    form = ChangeForm(obj=None if request.method == "POST" else _form_data(application))
    status = 200
    if request.method == "POST":
        if not application.is_open:
            status = 409
            form.form_errors.append(f"{application.state_label} 상태의 신청은 바꿀 수 없습니다.")
        elif form.validate_on_submit():
            try:
                ops.change_application(
                    application,
                    current_user,
                    title=form.title.data,
                    body=form.body.data,
                    group_size=form.group_size.data,
                    preferences=form.preferences(),
                    phone=form.phone.data,
                    publish_body=form.publish_body.data,
                )
            except OperationError as error:
                status = show_on_form(form, error)
            else:
                flash("신청 내용을 고쳤습니다.", "success")
                return redirect(
                    url_for("cheong.my_application", application_id=application.id), code=303
                )
        else:
            status = 422
    return render(
        "cheong/my_application.html",
        application=application,
        cancel_form=ActionForm(),
        **_form_context(form),
    ), status


def _form_data(application: DateApplication):
    prefs = list(application.preferences or []) + [{}, {}, {}]

    class Data:
        title = application.title
        body = application.body
        group_size = application.group_size
        phone = application.phone
        publish_body = application.publish_body

    for n in (1, 2, 3):
        raw = prefs[n - 1].get("date")
        setattr(Data, f"date{n}", date.fromisoformat(raw) if raw else None)
        setattr(Data, f"slot{n}", prefs[n - 1].get("slot", ""))
    return Data


@bp.route("/date-apply/<id:application_id>/cancel", methods=["POST"])
@resident_required
def cancel_application(application_id: int):
    application = _own_application(application_id)
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        ops.cancel(application, current_user)
    except OperationError as error:
        flash(error.message, "error")
        return redirect(url_for("cheong.my_application", application_id=application.id), code=303)
    flash("신청을 취소했습니다.", "success")
    return redirect(url_for("cheong.my_applications"), code=303)


def filter_applications(query):
    """Narrow a query of applications to the request's `state` and `month` (YYYY-MM); a
    value that is neither is dropped and comes back empty, so the page shows 전체."""
    state = request.args.get("state", "")
    if state in STATE_LABELS:
        query = query.where(DateApplication.state == state)
    else:
        state = ""
    month = month_arg()
    if month is None:
        return query, state, ""
    query = query.where(DateApplication.created_at.between(*_month_bounds(month)))
    return query, state, month.strftime("%Y-%m")


def _month_bounds(month: date) -> tuple[datetime, datetime]:
    """The month starting on `month`, in Korean time, as naive-UTC bounds."""
    first = datetime(month.year, month.month, 1)
    following = (first + timedelta(days=32)).replace(day=1)
    return first - timedelta(hours=9), following - timedelta(hours=9)


@bp.route("/date-board")
def date_board():
    """데이트상황판: every application, masked name, no contact details."""
    page = page_arg()
    query, state, month = filter_applications(select(DateApplication))
    rows = db.session.scalars(
        query.order_by(DateApplication.id.desc())
        .limit(BOARD_PAGE_SIZE + 1)
        .offset((page - 1) * BOARD_PAGE_SIZE)
    ).all()
    year = clock.today().year
    held_this_year = dates_held(year)
    return render(
        "cheong/board.html",
        block="board",
        menu=menu("cheong"),
        rows=rows[:BOARD_PAGE_SIZE],
        has_next=len(rows) > BOARD_PAGE_SIZE,
        page=page,
        state=state,
        month=month,
        states=STATE_LABELS,
        year=year,
        held_this_year=held_this_year,
    )


@bp.route("/dates")
def dates():
    """구청장과 소통데이트: published records of held meetings."""
    page = page_arg()
    rows = db.session.scalars(
        select(DateRecord)
        .where(DateRecord.published_at.is_not(None))
        .order_by(DateRecord.held_on.desc(), DateRecord.id.desc())
        .limit(RECORDS_PAGE_SIZE + 1)
        .offset((page - 1) * RECORDS_PAGE_SIZE)
    ).all()
    return render(
        "cheong/dates.html",
        block="content",
        menu=menu("cheong"),
        rows=rows[:RECORDS_PAGE_SIZE],
        has_next=len(rows) > RECORDS_PAGE_SIZE,
        page=page,
    )


@bp.route("/dates/<id:record_id>")
def date_record(record_id: int):
    from gwanak.core.permissions import may_edit

    record = db.get_or_404(DateRecord, record_id)
    if not record.is_published and not may_edit(current_user, record):
        abort(404)
    return render(
        "cheong/date_record.html",
        block="content",
        menu=menu("cheong"),
        record=record,
        markdown=render_markdown,
    )


def dates_held(year: int) -> int:
    """Meetings with the mayor held in a year, for pledge indicators."""
    return db.session.scalar(
        select(func.count(DateApplication.id)).where(
            DateApplication.state == DateState.HELD,
            extract("year", DateApplication.scheduled_date) == year,
        )
    )
