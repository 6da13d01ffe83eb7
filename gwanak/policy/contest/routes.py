"""창의제안 공모전 pages: /policy/contest (public) and /policy/contest/staff (기획예산과)."""

from __future__ import annotations

from flask import abort, flash, redirect, request, send_file, url_for
from flask_login import current_user, login_required

from gwanak.core.extensions import db
from gwanak.core.features import StaffLink
from gwanak.core.htmx import announce, is_htmx, render
from gwanak.core.markup import render_markdown
from gwanak.core.menus import menu
from gwanak.core.operations import OperationError, show_on_form
from gwanak.core.params import parse_id
from gwanak.core.permissions import department, in_department, require_edit
from gwanak.core.security import personal_data
from gwanak.core.uploads import upload_dir
from gwanak.policy.blueprint import bp
from gwanak.policy.contest import operations as ops
from gwanak.policy.contest.forms import (
    ActionForm,
    ContestForm,
    DecideForm,
    EntryForm,
    ImplementationForm,
    OfflineEntryForm,
    PrizeForm,
    RereviewForm,
    ScreenForm,
    ScreeningForm,
)
from gwanak.policy.contest.models import (
    CHANNELS,
    CONTEST_DEPARTMENT,
    ELIGIBILITY,
    EXCLUSION_CAUSES,
    STATE_LABELS,
    Contest,
    ContestEntry,
)


def _ctx(**context):
    the_menu = menu("policy")
    item = next(i for i in the_menu.items if i.slug == "contest")
    return {"menu": the_menu, "item": item, **context}


def _contest_or_404(year: int) -> Contest:
    contest = ops.contest_for_year(year)
    if contest is None:
        abort(404)
    return contest


def _entry_fields(form, *more: str) -> ops.EntryFields:
    """An entry as its form gives it: the fields every entry has, and `more`."""
    names = ("title", "problem", "proposal", "effect", "relation", "consent", "attachment", *more)
    return ops.EntryFields(**{name: form[name].data for name in names})


def _status(form) -> int:
    return 422 if form.errors or form.form_errors else 200


# --- public ---------------------------------------------------------------------------


@bp.route("/contest")
def contest_index():
    contests = ops.contests_newest_first()
    return render(
        "policy/contest/index.html",
        **_ctx(contests=contests, current=contests[0] if contests else None),
    )


@bp.route("/contest/<year:year>")
def contest_detail(year: int):
    contest = _contest_or_404(year)
    return render(
        "policy/contest/detail.html",
        **_ctx(contest=contest, prize_html=render_markdown(contest.prize_rules)),
    )


@bp.route("/contest/<year:year>/enter", methods=["GET", "POST"])
@personal_data
@login_required
def contest_enter(year: int):
    contest = _contest_or_404(year)
    form = EntryForm()
    form.set_relations(contest.eligibility)
    if not contest.is_open():
        return render("policy/contest/closed.html", **_ctx(contest=contest)), 409
    if not current_user.is_resident:
        form.form_errors.append(ops.BACK_OFFICE_ENTRY)
        context = _ctx(
            contest=contest, form=form, notice=ops.consent_notice(), rules=ops.attachment_rules()
        )
        return render("policy/contest/enter.html", **context), 403
    if form.validate_on_submit():
        try:
            ops.submit_entry(contest, current_user, _entry_fields(form))
        except OperationError as error:
            show_on_form(form, error)
        else:
            flash("응모했습니다. 접수 상태는 '내 응모작'에서 볼 수 있습니다.", "success")
            return redirect(url_for("policy.contest_mine"), code=303)
    return render(
        "policy/contest/enter.html",
        **_ctx(
            contest=contest, form=form, notice=ops.consent_notice(), rules=ops.attachment_rules()
        ),
    ), _status(form)


@bp.route("/contest/mine")
@personal_data
@login_required
def contest_mine():
    return render("policy/contest/mine.html", **_ctx(entries=ops.entries_of_user(current_user.id)))


@bp.route("/contest/<year:year>/results")
def contest_results(year: int):
    contest = _contest_or_404(year)
    if contest.results_published_at is None:
        return render(
            "policy/contest/results.html", **_ctx(contest=contest, winners=None, stats=None)
        )
    return render(
        "policy/contest/results.html",
        **_ctx(
            contest=contest, winners=ops.winners_of(contest), stats=ops.contest_statistics(contest)
        ),
    )


@bp.route("/contest/entries/<id:entry_id>/attachment")
@personal_data
@login_required
def contest_attachment(entry_id: int):
    """The submitter and 기획예산과 may open a file that is still private."""
    entry = db.get_or_404(ContestEntry, entry_id)
    if entry.attachment is None:
        abort(404)
    if not ops.may_see_entry(current_user, entry):
        abort(403)
    path = upload_dir() / entry.attachment.stored_name
    if not path.is_file():
        abort(404)
    response = send_file(
        path,
        mimetype=entry.attachment.mime,
        as_attachment=True,
        download_name=entry.attachment.download_name,
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


# --- staff ----------------------------------------------------------------------------

# Back-office links this feature adds (Feature.staff_links).
STAFF_LINKS = (
    StaffLink(
        "창의제안 공모전 관리",
        "policy.contest_staff",
        visible=lambda user: user.is_admin or in_department(user, CONTEST_DEPARTMENT),
    ),
    StaffLink(
        "공모전 실무심사 (우리 부서)",
        "policy.contest_staff_screening",
        visible=lambda user: user.is_admin or (user.is_staff and bool(user.department)),
    ),
)


def _require_department() -> None:
    require_edit(department(CONTEST_DEPARTMENT))


def _contest_fields(form: ContestForm) -> ops.ContestFields:
    return ops.ContestFields(
        year=form.year.data,
        title=form.title.data,
        theme=form.theme.data,
        opens_on=form.opens_on.data,
        closes_on=form.closes_on.data,
        eligibility=list(form.eligibility.data or []),
        grades=(form.grades.data or "").split(","),
        prize_rules=form.prize_rules.data or "",
    )


@bp.route("/contest/staff", methods=["GET", "POST"])
def contest_staff():
    _require_department()
    form = ContestForm()
    if form.validate_on_submit():
        try:
            contest = ops.create_contest(_contest_fields(form), current_user.id)
        except OperationError as error:
            show_on_form(form, error)
        else:
            flash(f"{contest.year}년 공모전을 만들었습니다.", "success")
            return redirect(url_for("policy.contest_staff_queue", year=contest.year), code=303)
    return render(
        "policy/contest/staff_index.html", **_ctx(contests=ops.contests_newest_first(), form=form)
    ), _status(form)


@bp.route("/contest/staff/<year:year>/edit", methods=["GET", "POST"])
def contest_staff_edit(year: int):
    contest = _contest_or_404(year)
    require_edit(contest)
    form = ContestForm(obj=contest)
    if request.method == "GET":
        form.grades.data = ", ".join(contest.grades)
    if form.validate_on_submit():
        try:
            ops.update_contest(contest, _contest_fields(form), current_user.id)
        except OperationError as error:
            show_on_form(form, error)
        else:
            flash("공모전 정보를 고쳤습니다.", "success")
            return redirect(url_for("policy.contest_staff_queue", year=contest.year), code=303)
    return render("policy/contest/staff_edit.html", **_ctx(contest=contest, form=form)), _status(
        form
    )


@bp.route("/contest/staff/<year:year>")
def contest_staff_queue(year: int):
    contest = _contest_or_404(year)
    require_edit(contest)
    state = request.args.get("state") or None
    if state is not None and state not in STATE_LABELS:
        abort(404)
    return render(
        "policy/contest/staff_queue.html",
        **_ctx(
            contest=contest,
            entries=ops.entries_of(contest, state),
            state=state,
            stats=ops.contest_statistics(contest),
            publish_form=ActionForm(),
            screening_form=ScreeningForm(),
        ),
    )


@bp.route("/contest/staff/<year:year>/screening", methods=["POST"])
def contest_staff_assign_screening(year: int):
    """기획예산과 gives the ticked entries' 실무심사 to a department."""
    contest = _contest_or_404(year)
    require_edit(contest)
    form = ScreeningForm()
    done = error = None
    status = 200
    if not form.validate_on_submit():
        error, status = "실무심사를 맡길 부서를 고르세요.", 422
    else:
        ids = [i for i in (parse_id(v) for v in request.form.getlist("entry")) if i]
        try:
            count = ops.assign_screening(contest, current_user, ids, form.department.data)
        except OperationError as refused:
            error, status = refused.message, refused.status
        else:
            done = f"응모작 {count}건의 실무심사를 {form.department.data}에 맡겼습니다."
    if is_htmx():
        return _screening_answer(contest, done, error), status
    flash(done or error, "success" if done else "error")
    return redirect(url_for("policy.contest_staff_queue", year=year, state="received"), code=303)


def _screening_answer(contest: Contest, done: str | None, error: str | None) -> str:
    """For htmx: the entries table and the 실무심사 form again, with what happened."""
    db.session.expire_all()
    state = request.form.get("state") or None
    if state not in STATE_LABELS:
        state = None
    html = render(
        "policy/contest/staff_queue.html",
        block="entries",
        **_ctx(
            contest=contest,
            entries=ops.entries_of(contest, state),
            state=state,
            stats=ops.contest_statistics(contest),
            screening_form=ScreeningForm(formdata=None),
            screening_done=done,
            screening_error=error,
        ),
    )
    return html + announce(done or error or "")


@bp.route("/contest/staff/screening")
def contest_staff_screening():
    """The entries given to the signed-in staff member's department for 실무심사."""
    if not current_user.is_authenticated:
        abort(401)
    if not (current_user.is_admin or (current_user.is_staff and current_user.department)):
        abort(403)
    # An admin sees every department's; staff their own department's.
    department = None if current_user.is_admin else current_user.department
    return render(
        "policy/contest/staff_screening.html",
        **_ctx(entries=ops.entries_to_screen(department), department=department),
    )


@bp.route("/contest/staff/<year:year>/publish", methods=["POST"])
def contest_staff_publish(year: int):
    contest = _contest_or_404(year)
    require_edit(contest)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        ops.publish_results(contest, current_user.id)
    except OperationError as error:
        flash(error.message, "error")
        return redirect(url_for("policy.contest_staff_queue", year=year), code=303)
    flash("결과를 발표했습니다.", "success")
    return redirect(url_for("policy.contest_results", year=year), code=303)


@bp.route("/contest/staff/<year:year>/register", methods=["GET", "POST"])
def contest_staff_register(year: int):
    contest = _contest_or_404(year)
    require_edit(contest)
    form = OfflineEntryForm()
    form.set_relations(contest.eligibility)
    if form.validate_on_submit():
        fields = _entry_fields(
            form, "submitter_name", "submitter_contact", "channel", "received_on"
        )
        try:
            entry = ops.register_offline_entry(contest, current_user, fields)
        except OperationError as error:
            show_on_form(form, error)
        else:
            flash(f"응모작 #{entry.id}을(를) 등록했습니다.", "success")
            return redirect(url_for("policy.contest_staff_queue", year=year), code=303)
    return render(
        "policy/contest/staff_register.html",
        **_ctx(
            contest=contest, form=form, notice=ops.consent_notice(), rules=ops.attachment_rules()
        ),
    ), _status(form)


def _entry_page(entry: ContestEntry, status: int = 200, **forms):
    grades = [(g, g) for g in entry.contest.grades]
    all_forms = {
        "screen_form": ScreenForm(prefix="screen"),
        "decide_form": DecideForm(prefix="decide"),
        "rereview_form": RereviewForm(prefix="rereview"),
        "impl_form": ImplementationForm(prefix="impl"),
        "prize_form": PrizeForm(prefix="prize"),
    } | forms
    all_forms["decide_form"].grade.choices = grades
    all_forms["rereview_form"].grade.choices = [("", "등급 없음")] + grades
    return render(
        "policy/contest/staff_entry.html",
        **_ctx(
            entry=entry,
            contest=entry.contest,
            channels=CHANNELS,
            eligibility=ELIGIBILITY,
            **all_forms,
        ),
    ), status


def _require_screen(entry: ContestEntry) -> None:
    if not current_user.is_authenticated:
        abort(401)
    if not ops.may_screen(current_user, entry):
        abort(403)


@bp.route("/contest/staff/entries/<id:entry_id>")
def contest_staff_entry(entry_id: int):
    entry = db.get_or_404(ContestEntry, entry_id)
    _require_screen(entry)  # 기획예산과, or the department screening it
    return _entry_page(entry)


def _step(entry_id: int, form_class, prefix: str, name: str, run, check=require_edit):
    """Run one workflow step from its form: redirect on success, the page with errors otherwise."""
    entry = db.get_or_404(ContestEntry, entry_id)
    check(entry)
    form = form_class(prefix=prefix)
    if form_class in (DecideForm, RereviewForm):
        form.grade.choices = [(g, g) for g in entry.contest.grades]
    if form.validate_on_submit():
        try:
            run(entry, form)
        except OperationError as error:
            return _entry_page(entry, show_on_form(form, error), **{name: form})
        flash("처리했습니다.", "success")
        return redirect(url_for("policy.contest_staff_entry", entry_id=entry_id), code=303)
    return _entry_page(entry, 422, **{name: form})


@bp.route("/contest/staff/entries/<id:entry_id>/screen", methods=["POST"])
def contest_staff_screen(entry_id: int):
    return _step(
        entry_id, ScreenForm, "screen", "screen_form",
        lambda e, f: ops.screen_entry(e, current_user, f.decision.data, f.reason.data),
        check=_require_screen,
    )  # fmt: skip


@bp.route("/contest/staff/entries/<id:entry_id>/decide", methods=["POST"])
def contest_staff_decide(entry_id: int):
    return _step(
        entry_id, DecideForm, "decide", "decide_form",
        lambda e, f: ops.decide_entry(e, current_user, f.decision.data, f.grade.data or "", f.reason.data),
    )  # fmt: skip


@bp.route("/contest/staff/entries/<id:entry_id>/rereview", methods=["POST"])
def contest_staff_rereview(entry_id: int):
    return _step(
        entry_id, RereviewForm, "rereview", "rereview_form",
        lambda e, f: ops.rereview_entry(
            e, current_user, f.decision.data == "adopt", f.grade.data or "", f.reason.data
        ),
    )  # fmt: skip


@bp.route("/contest/staff/entries/<id:entry_id>/implementation", methods=["POST"])
def contest_staff_implementation(entry_id: int):
    return _step(
        entry_id, ImplementationForm, "impl", "impl_form",
        lambda e, f: ops.track_implementation(e, current_user, f.status.data, f.implemented_on.data, f.reason.data),
    )  # fmt: skip


@bp.route("/contest/staff/entries/<id:entry_id>/prize", methods=["POST"])
def contest_staff_prize(entry_id: int):
    return _step(
        entry_id, PrizeForm, "prize", "prize_form",
        lambda e, f: ops.record_prize_payment(e, current_user, f.paid_on.data, f.amount.data, f.reason.data),
    )  # fmt: skip


# Templates read these labels.
for _name, _value in (
    ("contest_exclusion_causes", EXCLUSION_CAUSES),
    ("contest_channels", CHANNELS),
    ("contest_state_labels", STATE_LABELS),
):
    bp.add_app_template_global(_value, _name)  # type: ignore[arg-type]
