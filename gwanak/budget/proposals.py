"""사업 제안 (/budget/proposals): the budget board's pages.

Endpoints follow the engine's naming (`budget.proposal_list`, `…_detail`, `…_gonggam`,
`…_report`) so the engine's shared parts (comments, 공감 toggle, staff queues, mails)
link to them. Comments use the engine's generic comment routes.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select

from gwanak.budget import bp
from gwanak.budget.forms import BudgetProposalForm, PhaseForm, RoundForm
from gwanak.budget.models import (
    OWNER_DEPARTMENT,
    PHASE_LABELS,
    BudgetBallot,
    BudgetProposal,
    BudgetRound,
    Phase,
)
from gwanak.budget.operations import BudgetError
from gwanak.budget.proposal_operations import (
    BUDGET_BOARD,
    NEXT_PHASES,
    cast_vote,
    current_round,
    move_phase,
    my_votes,
    propose,
    save_round,
    withdraw_vote,
)
from gwanak.core import clock
from gwanak.core.extensions import db
from gwanak.core.htmx import is_htmx, render
from gwanak.core.menus import dong_names, menu
from gwanak.core.params import page_arg, year_arg
from gwanak.core.permissions import department, may_edit, require_edit
from gwanak.core.settings import get_setting
from gwanak.home.routes import home_section
from gwanak.participation import operations as engine
from gwanak.participation.forms import EmptyForm, ReportForm
from gwanak.participation.models import Proposal
from gwanak.participation.queries import load_answers, load_timeline
from gwanak.participation.views import comments_context
from gwanak.staff.routes import staff_link

MENU = menu("budget")
ITEM = next(i for i in MENU.items if i.slug == "proposals")
PAGE_SIZE = 20
COMMON = {"menu": MENU, "item": ITEM, "spec": BUDGET_BOARD}

staff_link(
    "주민참여예산 차수·단계",
    "budget.round_list",
    visible=lambda user: may_edit(user, department(OWNER_DEPARTMENT)),
)


def _round_from_args() -> BudgetRound | None:
    year = year_arg()
    if year is not None:
        found = db.session.scalar(select(BudgetRound).where(BudgetRound.year == year))
        if found is not None:
            return found
    return current_round()


def _ballot_used(budget_round: BudgetRound) -> int:
    if not current_user.is_authenticated:
        return 0
    return (
        db.session.scalar(
            select(BudgetBallot.used).where(
                BudgetBallot.round_id == budget_round.id, BudgetBallot.user_id == current_user.id
            )
        )
        or 0
    )


def _vote_context(budget_round: BudgetRound | None) -> dict:
    today = clock.today()
    if budget_round is None:
        return {"voting_open": False, "results_public": False, "voted": set(), "votes_left": 0}
    limit = get_setting("budget.votes_per_resident")
    return {
        "voting_open": budget_round.voting_open(today),
        "results_public": budget_round.voting_closed(today),
        "voted": my_votes(budget_round.id, current_user),
        "vote_limit": limit,
        "votes_left": max(limit - _ballot_used(budget_round), 0),
    }


@bp.route("/proposals")
def proposal_list():
    budget_round = _round_from_args()
    rounds = db.session.scalars(select(BudgetRound).order_by(BudgetRound.year.desc())).all()
    phase = request.args.get("phase") or ""
    category = request.args.get("category") or ""
    dong = request.args.get("dong") or ""
    if phase not in {p.value for p in Phase}:
        phase = ""
    if category not in BUDGET_BOARD.categories:
        category = ""
    if dong not in dong_names():
        dong = ""
    page = page_arg()
    items: list[BudgetProposal] = []
    has_next = False
    counts: dict[str, int] = {}
    if budget_round is not None:
        query = (
            select(BudgetProposal)
            .join(Proposal, Proposal.id == BudgetProposal.proposal_id)
            .where(BudgetProposal.round_id == budget_round.id, Proposal.hidden_at.is_(None))
        )
        if phase:
            query = query.where(BudgetProposal.phase == phase)
        if category:
            query = query.where(Proposal.category == category)
        if dong:
            query = query.where(Proposal.dong == dong)
        order = (
            (BudgetProposal.vote_count.desc(), Proposal.id)
            if phase in (Phase.VOTING, Phase.SELECTED) and budget_round.voting_closed(clock.today())
            else (Proposal.id.desc(),)
        )
        rows = db.session.scalars(
            query.order_by(*order).limit(PAGE_SIZE + 1).offset((page - 1) * PAGE_SIZE)
        ).all()
        items, has_next = list(rows[:PAGE_SIZE]), len(rows) > PAGE_SIZE
        counts = dict(
            db.session.execute(
                select(BudgetProposal.phase, func.count())
                .join(Proposal, Proposal.id == BudgetProposal.proposal_id)
                .where(BudgetProposal.round_id == budget_round.id, Proposal.hidden_at.is_(None))
                .group_by(BudgetProposal.phase)
            ).all()
        )
    return render(
        "budget/proposals.html",
        block="results",
        budget_round=budget_round,
        rounds=rounds,
        items=items,
        has_next=has_next,
        page=page,
        phase=phase,
        category=category,
        dong=dong,
        phases=PHASE_LABELS,
        phase_counts=counts,
        dongs=dong_names(),
        today=clock.today(),
        empty_form=EmptyForm(formdata=None),
        may_manage=may_edit(current_user, department(OWNER_DEPARTMENT)),
        **_vote_context(budget_round),
        **COMMON,
    )


@bp.route("/proposals/new", methods=["GET", "POST"])
def proposal_new():
    if not current_user.is_authenticated:
        abort(401)
    budget_round = current_round()
    form = BudgetProposalForm(BUDGET_BOARD.categories)
    status = 200
    if budget_round is None or not budget_round.accepting_proposals(clock.today()):
        form.form_errors.append("지금은 제안 접수 기간이 아닙니다.")
        status = 409
    elif not current_user.is_resident:
        form.form_errors.append("주민 계정으로만 제안할 수 있습니다.")
        status = 403
    elif form.validate_on_submit():
        try:
            extra = propose(
                budget_round,
                current_user,
                title=form.title.data,
                body=form.body.data,
                category=form.category.data,
                dong=form.dong.data or None,
                place=form.place.data,
                estimated_cost=form.estimated_cost.data,
                client_token=form.token.data or None,
            )
        except BudgetError as error:
            field = getattr(form, error.field or "", None)
            (field.errors if field is not None else form.form_errors).append(str(error))
            status = error.status
        else:
            flash("사업을 제안했습니다. 부서 검토 결과를 알려 드립니다.", "success")
            return redirect(url_for("budget.proposal_detail", pid=extra.proposal_id), code=303)
    if form.errors and status == 200:
        status = 422
    return render_template(
        "budget/proposal_form.html", form=form, budget_round=budget_round, **COMMON
    ), status


def _extra_or_404(pid: int) -> BudgetProposal:
    extra = db.session.get(BudgetProposal, pid)
    if extra is None or extra.proposal.board != BUDGET_BOARD.slug:
        abort(404)
    return extra


def _detail(extra: BudgetProposal, **overrides):
    proposal = extra.proposal
    if proposal.hidden_at is not None and not may_edit(current_user, extra):
        abort(404)
    phase_form = overrides.pop("phase_form", None) or PhaseForm(formdata=None)
    phase_form.to.choices = [
        (p.value, PHASE_LABELS[p]) for p in NEXT_PHASES.get(Phase(extra.phase), ())
    ]
    mine = current_user.is_authenticated and current_user.id == proposal.author_id
    context = {
        "extra": extra,
        "proposal": proposal,
        "state": proposal.state,
        "answers": load_answers(proposal.discussion_id),
        "timeline": load_timeline(proposal.discussion_id),
        "given": engine.has_gonggam(proposal.id, current_user),
        "mine": mine,
        "report_form": ReportForm(formdata=None),
        "phase_form": phase_form,
        "may_manage": may_edit(current_user, extra),
        "dongs": dong_names(),
        **comments_context(proposal.discussion),
        **_vote_context(extra.round),
        **COMMON,
    }
    context.update(overrides)
    return context


@bp.route("/proposals/<id:pid>")
def proposal_detail(pid: int):
    extra = _extra_or_404(pid)
    return render("budget/proposal_detail.html", block="content", **_detail(extra))


@bp.route("/proposals/<id:pid>/vote", methods=["POST"])
def proposal_vote(pid: int):
    extra = _extra_or_404(pid)
    if not EmptyForm().validate_on_submit():
        abort(400)
    if not current_user.is_authenticated:
        abort(401)
    take_back = request.form.get("action") == "withdraw"
    try:
        if take_back:
            withdraw_vote(extra, current_user)
            message = "투표를 취소했습니다."
        else:
            cast_vote(extra, current_user)
            message = "투표했습니다."
    except BudgetError as error:
        if error.status in (401, 403):
            abort(error.status)
        db.session.expire_all()
        return render(
            "budget/proposal_detail.html",
            block="vote",
            **_detail(_extra_or_404(pid), vote_error=str(error)),
        ), error.status
    db.session.expire_all()
    if is_htmx():
        return render(
            "budget/proposal_detail.html",
            block="vote",
            **_detail(_extra_or_404(pid), vote_message=message),
        )
    flash(message, "success")
    back = request.form.get("back")
    if back == "list":
        return redirect(url_for("budget.proposal_list") + f"#p-{pid}", code=303)
    return redirect(url_for("budget.proposal_detail", pid=pid) + "#vote", code=303)


@bp.route("/proposals/<id:pid>/phase", methods=["POST"])
def proposal_phase(pid: int):
    extra = _extra_or_404(pid)
    require_edit(extra)
    form = PhaseForm()
    form.to.choices = [(p.value, PHASE_LABELS[p]) for p in NEXT_PHASES.get(Phase(extra.phase), ())]
    if not form.to.choices:
        return render(
            "budget/proposal_detail.html",
            block="content",
            **_detail(extra, phase_error="결과가 확정된 제안입니다."),
        ), 409
    if form.validate_on_submit():
        try:
            move_phase(
                extra, form.to.data, current_user, note=form.note.data, budget=form.budget.data
            )
        except BudgetError as error:
            db.session.expire_all()
            extra = _extra_or_404(pid)
            return render(
                "budget/proposal_detail.html",
                block="content",
                **_detail(extra, phase_form=form, phase_error=str(error)),
            ), error.status
        flash(f"'{PHASE_LABELS[Phase(form.to.data)]}' 단계로 옮겼습니다.", "success")
        return redirect(url_for("budget.proposal_detail", pid=pid), code=303)
    return render(
        "budget/proposal_detail.html", block="content", **_detail(extra, phase_form=form)
    ), 422


@bp.route("/proposals/<id:pid>/gonggam", methods=["POST"])
def proposal_gonggam(pid: int):
    """공감 on a budget proposal: the engine's operation, the engine's partial."""
    extra = _extra_or_404(pid)
    if not EmptyForm().validate_on_submit():
        abort(400)
    error_message = message = None
    try:
        if request.form.get("action") == "take":
            engine.take_back_gonggam(extra.proposal, current_user)
            message = "공감을 취소했습니다."
        else:
            engine.give_gonggam(extra.proposal, current_user)
            message = "공감했습니다."
    except engine.ParticipationError as error:
        if error.status == 401:
            abort(401)
        error_message = error.message
    db.session.expire_all()
    extra = _extra_or_404(pid)
    if is_htmx():
        context = _detail(
            extra, gonggam_message=error_message or message, gonggam_error=bool(error_message)
        )
        return render_template("participation/_gonggam.html", **context), (
            409 if error_message else 200
        )
    flash(error_message or message, "error" if error_message else "success")
    return redirect(url_for("budget.proposal_detail", pid=pid) + "#gonggam", code=303)


@bp.route("/proposals/<id:pid>/report", methods=["POST"])
def proposal_report(pid: int):
    extra = _extra_or_404(pid)
    if not current_user.is_authenticated:
        abort(401)
    back = url_for("budget.proposal_detail", pid=pid)
    form = ReportForm()
    if not form.validate_on_submit():
        flash("신고 사유를 입력하세요.", "error")
        return redirect(back, code=303)
    try:
        engine.report_item("proposal", extra.proposal_id, current_user, form.reason.data)
    except engine.ParticipationError as error:
        flash(error.message, "error")
    else:
        flash("신고했습니다. 담당자가 확인합니다.", "success")
    return redirect(back, code=303)


# ---------------------------------------------------------------- rounds (staff)


@bp.route("/proposals/rounds", methods=["GET", "POST"])
def round_list():
    require_edit(department(OWNER_DEPARTMENT))
    form = RoundForm()
    status = 200
    if form.validate_on_submit():
        try:
            save_round(None, _round_data(form), current_user.id)
        except BudgetError as error:
            getattr(form, error.field or "year").errors.append(str(error))
            status = 422
        else:
            flash("차수를 만들었습니다.", "success")
            return redirect(url_for("budget.round_list"), code=303)
    elif form.errors:
        status = 422
    rounds = db.session.scalars(select(BudgetRound).order_by(BudgetRound.year.desc())).all()
    return render_template(
        "budget/rounds.html", form=form, rounds=rounds, round=None, **COMMON
    ), status


@bp.route("/proposals/rounds/<id:round_id>", methods=["GET", "POST"])
def round_edit(round_id: int):
    budget_round = db.session.get(BudgetRound, round_id)
    if budget_round is None:
        abort(404)
    require_edit(budget_round)
    form = RoundForm(obj=budget_round if request.method == "GET" else None)
    status = 200
    if form.validate_on_submit():
        try:
            save_round(budget_round, _round_data(form), current_user.id)
        except BudgetError as error:
            getattr(form, error.field or "year").errors.append(str(error))
            status = 422
        else:
            flash("차수 일정을 저장했습니다.", "success")
            return redirect(url_for("budget.round_list"), code=303)
    elif form.errors:
        status = 422
    return render_template(
        "budget/rounds.html", form=form, rounds=[], round=budget_round, **COMMON
    ), status


def _round_data(form: RoundForm) -> dict:
    return {
        k: getattr(form, k).data
        for k in (
            "year",
            "proposal_starts",
            "proposal_ends",
            "review_ends",
            "deliberation_ends",
            "vote_starts",
            "vote_ends",
        )
    }


@home_section
def budget_now():
    """Home page: the round's open step (제안 접수 or 주민 투표), when there is one."""
    budget_round = current_round()
    if budget_round is None:
        return None
    today = clock.today()
    if budget_round.accepting_proposals(today):
        step, until = "사업 제안 접수 중", budget_round.proposal_ends
    elif budget_round.voting_open(today):
        step, until = "주민 투표 중", budget_round.vote_ends
    else:
        return None
    return "budget/_home.html", {"round": budget_round, "step": step, "until": until}
