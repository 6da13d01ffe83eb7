"""Back office of the engine: review queues, answers, the mayor's queue, reports, statistics."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from jinja2_fragments.flask import render_block
from sqlalchemy import select

from gwanak.accounts.models import Department
from gwanak.accounts.organisation import active_offices
from gwanak.core import clock
from gwanak.core.extensions import db
from gwanak.core.features import StaffLink
from gwanak.core.htmx import announce, is_htmx
from gwanak.core.operations import OperationError, show_on_form
from gwanak.core.permissions import back_office_required, may_edit, staff_required
from gwanak.core.settings import get_setting
from gwanak.participation import operations as ops
from gwanak.participation.boards import boards
from gwanak.participation.forms import AnswerForm, AssignForm, MayorAnswerForm, ReasonForm
from gwanak.participation.models import Comment, Discussion, Proposal
from gwanak.participation.queries import (
    card_stats,
    deadline_stats,
    flagged_items,
    gonggam_bursts,
    load_answers,
    load_timeline,
    mayor_queue,
    open_reports,
    review_queue,
)
from gwanak.participation.subjects import subject_of
from gwanak.participation.views import proposal_url

bp = Blueprint("participation_staff", __name__, url_prefix="/staff/participation")

STAFF_LINKS = (
    StaffLink("제안 검토 대기열", "participation_staff.review", lambda u: u.is_staff),
    StaffLink("부서별 검토 대기열", "participation_staff.departments", lambda u: u.is_staff),
    StaffLink(
        "구청장 답변 대기열", "participation_staff.mayor", lambda u: u.is_mayor or u.is_admin
    ),
    StaffLink("채택 제안 추진상황", "participation_staff.adopted", lambda u: u.is_staff),
    StaffLink("신고·개인정보 의심 글", "participation_staff.reports", lambda u: u.is_staff),
    StaffLink("새 계정 공감 몰림", "participation_staff.bursts", lambda u: u.is_staff),
    StaffLink("제안 처리 통계", "participation_staff.stats", lambda u: u.is_staff or u.is_mayor),
)


@bp.route("/review")
@staff_required
def review():
    department = None if current_user.is_admin else current_user.department
    # Only what this person may answer: a 동 주민센터 has no department's proposals.
    queue = [p for p in review_queue(department) if ops.may_answer(current_user, p)]
    # What a coordinator handed to other departments and is still waiting for.
    handed_on = [
        p
        for p in review_queue(None)
        if department and p.department != department and ops.coordinator_of(p) == department
    ]
    return render_template(
        "participation/staff_review.html",
        queue=queue,
        handed_on=handed_on,
        now=clock.now(),
        department=department,
        proposal_url=proposal_url,
    )


@bp.route("/departments")
@staff_required
def departments():
    """Every 과 with proposals waiting for it: how many, how many overdue."""
    now = clock.now()
    counts: dict[str, list[int]] = {}
    for p in review_queue(None):
        entry = counts.setdefault(p.department, [0, 0])
        entry[0] += 1
        entry[1] += p.is_overdue(now)
    return render_template(
        "participation/staff_departments.html",
        departments=[(d, counts.get(d.name, [0, 0])) for d in active_offices()],
    )


@bp.route("/departments/<code>")
@staff_required
def department_queue(code: str):
    """One department's queue of proposals to answer, its overdue ones first."""
    department = db.first_or_404(select(Department).where(Department.code == code))
    now = clock.now()
    queue = review_queue(department.name)
    return render_template(
        "participation/staff_review.html",
        queue=queue,
        overdue=[p for p in queue if p.is_overdue(now)],
        now=now,
        department=department.name,
        proposal_url=proposal_url,
    )


def _proposal_page(proposal: Proposal, form: AnswerForm, assign_form: AssignForm, status=200):
    return render_template(
        "participation/staff_proposal.html",
        proposal=proposal,
        form=form,
        may_answer=ops.may_answer(current_user, proposal),
        assign_form=assign_form,
        may_route=ops.may_route(current_user, proposal),
        coordinator=ops.coordinator_of(proposal),
        reason_form=ReasonForm(formdata=None),
        answers=load_answers(proposal.discussion_id),
        timeline=load_timeline(proposal.discussion_id),
        proposal_url=proposal_url,
        now=clock.now(),
    ), status


@bp.post("/proposals/<id:pid>/assign")
@staff_required
def assign(pid: int):
    """The coordinator hands the proposal to a 담당 부서 (JS off: redirect; htmx: the
    routing panel)."""
    proposal = db.get_or_404(Proposal, pid)
    if not ops.may_route(current_user, proposal):
        abort(403)
    form = AssignForm()
    if form.validate_on_submit():
        try:
            ops.assign_proposal(
                proposal,
                current_user,
                department=form.department.data,
                reason=form.reason.data,
                cooperating=form.cooperating.data,
            )
        except OperationError as error:
            show_on_form(form, error)
        else:
            message = f"{proposal.department}에 배정했습니다. 부서 직원에게 알렸습니다."
            if is_htmx():
                html = render_block(
                    "participation/staff_proposal.html",
                    "routing",
                    proposal=proposal,
                    assign_form=AssignForm(formdata=None),
                    may_route=ops.may_route(current_user, proposal),
                    coordinator=ops.coordinator_of(proposal),
                    timeline=load_timeline(proposal.discussion_id),
                )
                return html + announce(message)
            flash(message, "success")
            return redirect(url_for("participation_staff.proposal", pid=pid), code=303)
    status = 422 if form.errors or form.form_errors else 200
    if is_htmx():
        return render_block(
            "participation/staff_proposal.html",
            "routing",
            proposal=proposal,
            assign_form=form,
            may_route=True,
            coordinator=ops.coordinator_of(proposal),
            timeline=load_timeline(proposal.discussion_id),
        ), status
    return _proposal_page(proposal, AnswerForm(formdata=None), form, status)


@bp.route("/proposals/<id:pid>", methods=["GET", "POST"])
@staff_required
def proposal(pid: int):
    proposal = db.get_or_404(Proposal, pid)
    answering = ops.may_answer(current_user, proposal)
    # 협조 부서 read the proposal and its answer; only the 담당 부서 side answers.
    helping = current_user.department in (proposal.cooperating or [])
    if not answering and not (helping and request.method == "GET"):
        abort(403)
    form = AnswerForm()
    if form.validate_on_submit():
        try:
            ops.answer_proposal(
                proposal,
                current_user,
                outcome=form.outcome.data,
                body=form.body.data,
                reason=form.reason.data,
            )
        except OperationError as error:
            show_on_form(form, error)
        else:
            flash("답변을 등록했습니다. 제안자에게 알렸습니다.", "success")
            return redirect(url_for("participation_staff.review"), code=303)
    return _proposal_page(
        proposal,
        form,
        AssignForm(formdata=None),
        422 if form.errors or form.form_errors else 200,
    )


@bp.post("/proposals/<id:pid>/<any(hide, restore):action>")
@staff_required
def moderate_proposal(pid: int, action: str):
    proposal = db.get_or_404(Proposal, pid)
    return _moderate(proposal, proposal, action, ops.hide_proposal, ops.restore_proposal)


@bp.post("/comments/<id:cid>/<any(hide, restore):action>")
@staff_required
def moderate_comment(cid: int, action: str):
    comment = db.get_or_404(Comment, cid)
    discussion = db.session.get(Discussion, comment.discussion_id)
    return _moderate(comment, discussion, action, ops.hide_comment, ops.restore_comment)


def _moderate(item, owner, action: str, hide, restore):
    """Hide or restore a proposal or comment with a reason; staff who own it only."""
    if not may_edit(current_user, owner):
        abort(403)
    form = ReasonForm()
    if not form.validate_on_submit():
        flash("사유를 입력해야 숨기거나 되돌릴 수 있습니다.", "error")
        return redirect(url_for("participation_staff.reports"), code=303)
    try:
        (hide if action == "hide" else restore)(item, current_user, form.reason.data)
    except OperationError as error:
        flash(error.message, "error")
    else:
        flash("숨겼습니다." if action == "hide" else "숨김을 해제했습니다.", "success")
    return redirect(url_for("participation_staff.reports"), code=303)


@bp.post("/reports/<any(proposal, comment):target_type>/<id:target_id>/dismiss")
@staff_required
def dismiss(target_type: str, target_id: int):
    target = (
        db.get_or_404(Proposal, target_id)
        if target_type == "proposal"
        else db.get_or_404(Comment, target_id)
    )
    owner = (
        target if target_type == "proposal" else db.session.get(Discussion, target.discussion_id)
    )
    if not may_edit(current_user, owner):
        abort(403)
    ops.dismiss_reports(target_type, target_id, current_user)
    flash("신고를 기각했습니다.", "info")
    return redirect(url_for("participation_staff.reports"), code=303)


@bp.route("/bursts")
@staff_required
def bursts():
    """New accounts crowding onto one proposal: a sign of made-up accounts. Addresses are
    only compared as keyed hashes (accounts.throttle.address_key), never shown."""
    rules = {
        name: get_setting(f"participation.burst_{name}")
        for name in ("accounts", "window_minutes", "new_account_hours", "days")
    }
    found = gonggam_bursts(
        min_accounts=rules["accounts"],
        window_minutes=rules["window_minutes"],
        new_account_hours=rules["new_account_hours"],
        days=rules["days"],
    )
    return render_template(
        "participation/staff_bursts.html",
        bursts=[b for b in found if may_edit(current_user, b.proposal)],
        rules=rules,
        proposal_url=proposal_url,
    )


@bp.route("/reports")
@staff_required
def reports():
    items = []
    for target_type, target_id, count, reasons in open_reports():
        target = db.session.get(Proposal if target_type == "proposal" else Comment, target_id)
        if target is None:
            continue
        owner = (
            target
            if target_type == "proposal"
            else db.session.get(Discussion, target.discussion_id)
        )
        if may_edit(current_user, owner):
            items.append((target_type, target, count, reasons, _link(target_type, target)))
    proposals, comments = flagged_items()
    return render_template(
        "participation/staff_reports.html",
        items=items,
        flagged_proposals=[p for p in proposals if may_edit(current_user, p)],
        flagged_comments=[
            (c, _link("comment", c))
            for c in comments
            if may_edit(current_user, db.session.get(Discussion, c.discussion_id))
        ],
        reason_form=ReasonForm(formdata=None),
        proposal_url=proposal_url,
    )


def _link(target_type: str, target) -> str:
    if target_type == "proposal":
        return proposal_url(target)
    discussion = db.session.get(Discussion, target.discussion_id)
    return subject_of(discussion).url(discussion) + f"#comment-{target.id}"


@bp.route("/mayor")
@back_office_required
def mayor():
    if not (current_user.is_mayor or current_user.is_admin):
        abort(403)
    queue = [(d, subject_of(d).title(d), subject_of(d).url(d)) for d in mayor_queue()]
    return render_template("participation/staff_mayor.html", queue=queue, now=clock.now())


@bp.route("/mayor/<id:did>", methods=["GET", "POST"])
@back_office_required
def mayor_answer(did: int):
    if not current_user.is_mayor:
        abort(403)
    discussion = db.session.get(Discussion, did)
    if discussion is None:
        abort(404)
    form = MayorAnswerForm()
    if form.validate_on_submit():
        try:
            ops.mayor_answer(discussion, current_user, form.body.data)
        except OperationError as error:
            show_on_form(form, error)
        else:
            flash("구청장 답변을 게시했습니다.", "success")
            return redirect(url_for("participation_staff.mayor"), code=303)
    subject = subject_of(discussion)
    return render_template(
        "participation/staff_mayor_answer.html",
        discussion=discussion,
        title=subject.title(discussion),
        url=subject.url(discussion),
        form=form,
    ), (422 if form.errors or form.form_errors else 200)


@bp.route("/stats")
@back_office_required
def stats():
    return render_template(
        "participation/staff_stats.html",
        boards=[(spec, card_stats(spec.slug, fresh=True)) for spec in boards().values()],
        deadlines=deadline_stats(),
    )
