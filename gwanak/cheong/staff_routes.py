"""Back office of 관악청 (감사담당관): the application queue, meeting records, visit statistics."""

from __future__ import annotations

from datetime import timedelta

from flask import abort, flash, redirect, request, url_for
from flask_login import current_user
from sqlalchemy import func, or_, select

from gwanak.cheong import operations as ops
from gwanak.cheong.blueprint import bp
from gwanak.cheong.forms import (
    ActionForm,
    DeclineForm,
    FollowUpForm,
    PhotoForm,
    RecordForm,
    ScheduleForm,
)
from gwanak.cheong.models import (
    OWNER_DEPARTMENT,
    STATE_LABELS,
    DateApplication,
    DatePhoto,
    DateRecord,
    DateState,
)
from gwanak.cheong.photos import add_photo, remove_photo
from gwanak.cheong.routes import filter_applications
from gwanak.core import clock
from gwanak.core.confirm import ask_before_deleting
from gwanak.core.extensions import db
from gwanak.core.features import StaffLink
from gwanak.core.htmx import render
from gwanak.core.operations import OperationError, show_on_form
from gwanak.core.params import id_arg, page_arg
from gwanak.core.permissions import back_office_required, department, may_edit, require_edit
from gwanak.core.visits import daily_visits, visit_totals

QUEUE_PAGE_SIZE = 30
STATS_DAYS = 90

STAFF_LINKS = (
    StaffLink(
        "소통데이트 신청 처리",
        "cheong.staff_queue",
        visible=lambda user: may_edit(user, department(OWNER_DEPARTMENT)),
    ),
    StaffLink(
        "구청장 소통데이트 일정", "cheong.mayor_schedule", visible=lambda user: _sees_schedule(user)
    ),
    StaffLink("방문 통계", "cheong.visit_stats"),
)


def _sees_schedule(user) -> bool:
    """The mayor, and 감사담당관 who keeps his diary of meetings."""
    return user.is_authenticated and (user.is_mayor or may_edit(user, department(OWNER_DEPARTMENT)))


def _require_owner() -> None:
    require_edit(department(OWNER_DEPARTMENT))


@bp.route("/staff/dates")
def staff_queue():
    _require_owner()
    q = request.args.get("q", "").strip()[:50]
    page = page_arg()
    query, state, month = filter_applications(select(DateApplication))
    if q:
        like = f"%{q}%"
        query = query.where(
            or_(DateApplication.title.ilike(like), DateApplication.body.ilike(like))
        )
    rows = db.session.scalars(
        query.order_by(DateApplication.id.desc())
        .limit(QUEUE_PAGE_SIZE + 1)
        .offset((page - 1) * QUEUE_PAGE_SIZE)
    ).all()
    counts = dict(
        db.session.execute(
            select(DateApplication.state, func.count()).group_by(DateApplication.state)
        ).all()
    )
    records = db.session.scalars(
        select(DateRecord).order_by(DateRecord.held_on.desc()).limit(20)
    ).all()
    return render(
        "cheong/staff_queue.html",
        block="queue",
        rows=rows[:QUEUE_PAGE_SIZE],
        has_next=len(rows) > QUEUE_PAGE_SIZE,
        page=page,
        state=state,
        month=month,
        q=q,
        states=STATE_LABELS,
        counts=counts,
        records=records,
    )


def _staff_page(application: DateApplication, status: int = 200, **forms):
    context = {
        "application": application,
        "action_form": ActionForm(),
        "schedule_form": ScheduleForm(formdata=None, obj=_schedule_defaults(application)),
        "decline_form": DeclineForm(formdata=None),
        "record": db.session.scalar(
            select(DateRecord).where(DateRecord.application_id == application.id)
        ),
        "problem": None,
    }
    context.update(forms)
    return render("cheong/staff_application.html", **context), status


def _schedule_defaults(application: DateApplication):
    class Defaults:
        day = application.scheduled_date
        at = application.scheduled_time
        place = application.place or "관악구청 구청장실"

    return Defaults


@bp.route("/staff/dates/<id:application_id>")
def staff_application(application_id: int):
    _require_owner()
    return _staff_page(db.get_or_404(DateApplication, application_id))


def _act(application_id: int, action):
    """Run a staff action; out-of-order moves answer 409 with the reason on the page."""
    _require_owner()
    application = db.get_or_404(DateApplication, application_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        action(application)
    except OperationError as error:
        return _staff_page(application, error.status, problem=error.message)
    flash(f"신청 {application.id}: {application.state_label}(으)로 바꿨습니다.", "success")
    return redirect(url_for("cheong.staff_application", application_id=application.id), code=303)


@bp.route("/staff/dates/<id:application_id>/review", methods=["POST"])
def staff_review(application_id: int):
    return _act(application_id, lambda a: ops.start_review(a, current_user))


@bp.route("/staff/dates/<id:application_id>/complete", methods=["POST"])
def staff_complete(application_id: int):
    return _act(application_id, lambda a: ops.complete(a, current_user))


@bp.route("/staff/dates/<id:application_id>/schedule", methods=["POST"])
def staff_schedule(application_id: int):
    _require_owner()
    application = db.get_or_404(DateApplication, application_id)
    form = ScheduleForm()
    if not form.validate_on_submit():
        return _staff_page(application, 422, schedule_form=form)
    try:
        ops.schedule(
            application, current_user, day=form.day.data, at=form.at.data, place=form.place.data
        )
    except OperationError as error:
        return _staff_page(application, show_on_form(form, error), schedule_form=form)
    flash(f"신청 {application.id}: 일정을 확정했습니다.", "success")
    return redirect(url_for("cheong.staff_application", application_id=application.id), code=303)


@bp.route("/staff/dates/<id:application_id>/decline", methods=["POST"])
def staff_decline(application_id: int):
    _require_owner()
    application = db.get_or_404(DateApplication, application_id)
    form = DeclineForm()
    if not form.validate_on_submit():
        return _staff_page(application, 422, decline_form=form)
    try:
        ops.decline(application, current_user, form.reason.data)
    except OperationError as error:
        return _staff_page(application, show_on_form(form, error), decline_form=form)
    flash(f"신청 {application.id}: 반려했습니다.", "success")
    return redirect(url_for("cheong.staff_application", application_id=application.id), code=303)


@bp.route("/staff/schedule")
def mayor_schedule():
    """The mayor's upcoming meetings with residents, soonest first."""
    if not current_user.is_authenticated:
        abort(401)
    if not _sees_schedule(current_user):
        abort(403)
    return render(
        "cheong/mayor_schedule.html",
        meetings=ops.upcoming_meetings(),
        slot_hours=ops.SLOT_HOURS,
        may_open=may_edit(current_user, department(OWNER_DEPARTMENT)),
    )


# Meeting records ------------------------------------------------------------------


def _record_page(record, form, status=200, application=None, **extra):
    context = {
        "record": record,
        "form": form,
        "application": application,
        "follow_up_form": extra.pop("follow_up_form", FollowUpForm(formdata=None)),
        "photo_form": extra.pop("photo_form", PhotoForm(formdata=None)),
        "action_form": ActionForm(),
        "photo_error": None,
    }
    context.update(extra)
    return render("cheong/staff_record.html", **context), status


@bp.route("/staff/records/new", methods=["GET", "POST"])
def staff_record_new():
    _require_owner()
    application = None
    application_id = id_arg("application")
    if application_id:
        application = db.get_or_404(DateApplication, application_id)
        existing = db.session.scalar(
            select(DateRecord).where(DateRecord.application_id == application.id)
        )
        if existing:
            return redirect(url_for("cheong.staff_record_edit", record_id=existing.id))
        if application.state != DateState.HELD:
            return _record_page(
                None, RecordForm(formdata=None), 409, application,
                problem="완료된 만남에만 기록을 쓸 수 있습니다. 먼저 완료 처리하세요.",
            )  # fmt: skip
    defaults = None
    if application is not None and request.method == "GET":

        class defaults:  # noqa: N801  (a plain object for the form's obj=)
            title = application.title
            held_on = application.scheduled_date
            discussed = ""
            actions = ""
            publish = False

    form = RecordForm(obj=defaults)
    if form.validate_on_submit():
        try:
            record = ops.save_record(
                None, current_user, title=form.title.data, held_on=form.held_on.data,
                discussed=form.discussed.data, actions=form.actions.data or "",
                publish=form.publish.data, application=application,
            )  # fmt: skip
        except OperationError as error:
            return _record_page(None, form, show_on_form(form, error), application)
        flash(
            "기록을 저장했습니다." + (" 공개되었습니다." if record.is_published else ""), "success"
        )
        return redirect(url_for("cheong.staff_record_edit", record_id=record.id), code=303)
    return _record_page(None, form, 422 if form.errors else 200, application)


@bp.route("/staff/records/<id:record_id>", methods=["GET", "POST"])
def staff_record_edit(record_id: int):
    record = db.get_or_404(DateRecord, record_id)
    require_edit(record)
    if request.method == "GET":
        form = RecordForm(obj=record)
        form.publish.data = record.is_published
    else:
        form = RecordForm()
    if form.validate_on_submit():
        ops.save_record(
            record, current_user, title=form.title.data, held_on=form.held_on.data,
            discussed=form.discussed.data, actions=form.actions.data or "",
            publish=form.publish.data,
        )  # fmt: skip
        flash(
            "기록을 저장했습니다." + (" 공개 중입니다." if record.is_published else ""), "success"
        )
        return redirect(url_for("cheong.staff_record_edit", record_id=record.id), code=303)
    return _record_page(record, form, 422 if form.errors else 200, record.application)


@bp.route("/staff/records/<id:record_id>/follow-ups", methods=["POST"])
def staff_follow_up(record_id: int):
    record = db.get_or_404(DateRecord, record_id)
    require_edit(record)
    form = FollowUpForm()
    if not form.validate_on_submit():
        return _record_page(record, RecordForm(obj=record), 422, follow_up_form=form)
    ops.add_follow_up(record, current_user, form.body.data)
    flash("추진 상황을 더했습니다.", "success")
    return redirect(url_for("cheong.staff_record_edit", record_id=record.id), code=303)


@bp.route("/staff/records/<id:record_id>/photos", methods=["POST"])
def staff_photo_add(record_id: int):
    record = db.get_or_404(DateRecord, record_id)
    require_edit(record)
    form = PhotoForm()
    if form.validate_on_submit():
        try:
            add_photo(record, current_user, request.files.get("photo"), form.alt.data)
        except OperationError as error:
            show_on_form(form, error)
        else:
            flash("사진을 올렸습니다.", "success")
            return redirect(url_for("cheong.staff_record_edit", record_id=record.id), code=303)
    return _record_page(record, RecordForm(obj=record), 422, photo_form=form)


@bp.route("/staff/records/<id:record_id>/photos/<id:photo_id>/delete", methods=["GET", "POST"])
def staff_photo_remove(record_id: int, photo_id: int):
    record = db.get_or_404(DateRecord, record_id)
    require_edit(record)
    photo = db.get_or_404(DatePhoto, photo_id)
    if photo.record_id != record.id:
        abort(404)
    if request.method == "GET":
        return ask_before_deleting(
            "이 사진을 지웁니다.", url_for("cheong.staff_record_edit", record_id=record.id)
        )
    if not ActionForm().validate_on_submit():
        abort(404)
    remove_photo(photo, current_user)
    flash("사진을 지웠습니다.", "success")
    return redirect(url_for("cheong.staff_record_edit", record_id=record.id), code=303)


# Visit statistics -----------------------------------------------------------------


@bp.route("/staff/visits")
@back_office_required
def visit_stats():
    """Daily visits for the last 90 days (SVG chart + table), monthly totals, daily average."""
    last = clock.today()
    first = last - timedelta(days=STATS_DAYS - 1)
    by_day = daily_visits(first, last)
    days = [(first + timedelta(days=n)) for n in range(STATS_DAYS)]
    series = [(d, by_day.get(d, 0)) for d in days]
    months: dict[str, int] = {}
    for d, n in series:
        months[f"{d:%Y-%m}"] = months.get(f"{d:%Y-%m}", 0) + n
    counted = sum(n for _, n in series)
    total, today_count = visit_totals()
    return render(
        "cheong/visit_stats.html",
        block="content",
        series=series,
        chart=_chart(series),
        months=sorted(months.items()),
        average=counted / STATS_DAYS,
        counted=counted,
        total=total,
        today_count=today_count,
        days=STATS_DAYS,
    )


def _chart(series) -> dict:
    """Bar geometry for the server-rendered SVG (no script, no library)."""
    width, height, pad = 720, 200, 24
    peak = max([n for _, n in series] + [1])
    step = (width - pad) / len(series)
    bars = []
    for i, (day, n) in enumerate(series):
        h = round((height - pad) * n / peak, 1)
        bars.append(
            {"x": round(pad + i * step, 1), "y": round(height - pad - h, 1), "h": h,
             "w": round(max(step - 1, 1), 1), "day": day, "n": n}
        )  # fmt: skip
    return {"width": width, "height": height, "pad": pad, "peak": peak, "bars": bars}
