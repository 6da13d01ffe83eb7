"""Back office after the answer: correcting a published answer, posting 추진상황 on an
adopted proposal and correcting it. Routes on the engine's staff blueprint."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from gwanak.core.extensions import db
from gwanak.core.operations import OperationError, show_on_form
from gwanak.core.permissions import staff_required
from gwanak.participation import operations as ops
from gwanak.participation.forms import CorrectAnswerForm, CorrectProgressForm, ProgressForm
from gwanak.participation.models import Answer, Outcome, ProgressUpdate, Proposal, ProposalState
from gwanak.participation.operations.routing import may_answer
from gwanak.participation.queries import adopted_to_follow_up, department_answer, load_progress
from gwanak.participation.staff_views import bp
from gwanak.participation.views import proposal_url


def _may_answer(proposal: Proposal | None) -> Proposal:
    """404 for what is not there, 403 unless this person may answer the proposal."""
    if proposal is None:
        abort(404)
    if not may_answer(current_user, proposal):
        abort(403)
    return proposal


def _code(status: int, form) -> int:
    """The refusal's own status (409 out of order…), else 422 for a form with errors."""
    if status != 200:
        return status
    return 422 if form.errors or form.form_errors else 200


@bp.route("/adopted")
@staff_required
def adopted():
    """The adopted proposals this person may report 추진상황 on, those without news first."""
    department = None if current_user.is_admin else current_user.department
    rows = [p for p in adopted_to_follow_up(department) if may_answer(current_user, p)]
    return render_template(
        "participation/staff_adopted.html", proposals=rows, proposal_url=proposal_url
    )


@bp.route("/answers/<id:aid>/correct", methods=["GET", "POST"])
@staff_required
def correct_answer(aid: int):
    answer = db.session.get(Answer, aid)
    if answer is None or answer.kind != "department":
        abort(404)
    proposal = _may_answer(ops.proposal_of_answer(answer))
    form = CorrectAnswerForm(obj=answer if request.method == "GET" else None)
    if request.method == "GET":
        form.note.data = ""
    status = 200
    if form.validate_on_submit():
        try:
            ops.correct_answer(
                answer,
                current_user,
                outcome=form.outcome.data,
                body=form.body.data,
                reason=form.reason.data,
                note=form.note.data,
            )
        except OperationError as error:
            status = show_on_form(form, error)
        else:
            flash(
                "답변을 고쳤습니다. 고치기 전 답변은 공개 화면의 수정 기록에 남습니다.", "success"
            )
            return redirect(url_for("participation_staff.proposal", pid=proposal.id), code=303)
    return render_template(
        "participation/staff_correct_answer.html",
        proposal=proposal,
        answer=answer,
        form=form,
        proposal_url=proposal_url,
    ), _code(status, form)


@bp.route("/proposals/<id:pid>/progress", methods=["GET", "POST"])
@staff_required
def progress(pid: int):
    proposal = _may_answer(db.session.get(Proposal, pid))
    form = ProgressForm()
    status = 200
    if form.validate_on_submit():
        try:
            ops.add_progress(proposal, current_user, status=form.status.data, body=form.body.data)
        except OperationError as error:
            status = show_on_form(form, error)
        else:
            flash("추진상황을 올렸습니다. 알림을 받는 주민에게 알렸습니다.", "success")
            return redirect(url_for("participation_staff.progress", pid=proposal.id), code=303)
    adopted = proposal.state == ProposalState.ANSWERED and proposal.outcome == Outcome.ADOPTED
    return render_template(
        "participation/staff_progress.html",
        proposal=proposal,
        updates=load_progress(proposal.id),
        answer=department_answer(proposal.discussion_id),
        adopted=adopted,
        form=form,
        proposal_url=proposal_url,
    ), _code(status, form)


@bp.route("/progress/<id:uid>/correct", methods=["GET", "POST"])
@staff_required
def correct_progress(uid: int):
    entry = db.session.get(ProgressUpdate, uid)
    if entry is None:
        abort(404)
    proposal = _may_answer(db.session.get(Proposal, entry.proposal_id))
    form = CorrectProgressForm(obj=entry if request.method == "GET" else None)
    if request.method == "GET":
        form.note.data = ""
    status = 200
    if form.validate_on_submit():
        try:
            ops.correct_progress(
                entry,
                current_user,
                status=form.status.data,
                body=form.body.data,
                note=form.note.data,
            )
        except OperationError as error:
            status = show_on_form(form, error)
        else:
            flash("추진상황을 고쳤습니다. 고치기 전 내용은 수정 기록에 남습니다.", "success")
            return redirect(url_for("participation_staff.progress", pid=proposal.id), code=303)
    return render_template(
        "participation/staff_correct_progress.html",
        proposal=proposal,
        entry=entry,
        form=form,
        proposal_url=proposal_url,
    ), _code(status, form)
