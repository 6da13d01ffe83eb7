"""사업 제안 (/budget/proposals): the budget board, on the engine's shared board pages.

The list, the proposal form, the detail page, 공감, the live counts, reports, edit and
withdraw are the engine's views and templates (participation/views.py). What a budget
project adds is declared here: `BudgetBoard` (the round and phase filters of the list,
the place and cost fields of the form, the phase and vote panel of the detail page,
its rules for proposing, editing and withdrawing) and `BUDGET_ROUTES` (the vote, the
staff's phase move and the rounds' admin pages), mounted with the engine's pages.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import false, func, select

from gwanak.budget import proposal_operations as budget_ops
from gwanak.budget.blueprint import bp
from gwanak.budget.forms import BudgetProposalForm, PhaseForm, ReviewerForm, RoundForm
from gwanak.budget.models import (
    OWNER_DEPARTMENT,
    PHASE_LABELS,
    BudgetBallot,
    BudgetProposal,
    BudgetRound,
    Phase,
)
from gwanak.budget.proposal_operations import (
    NEXT_PHASES,
    ROUND_DATES,
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
from gwanak.core.features import StaffLink
from gwanak.core.htmx import announce, is_htmx
from gwanak.core.menus import menu
from gwanak.core.operations import OperationError, show_on_form
from gwanak.core.params import year_arg
from gwanak.core.permissions import department, may_edit, require_edit
from gwanak.core.settings import get_setting
from gwanak.participation.boards import BoardRoute, BoardSpec, ListScope
from gwanak.participation.forms import EmptyForm
from gwanak.participation.models import BoardSlug, Proposal
from gwanak.participation.views import (
    BoardExtension,
    current_board,
    mount_board,
    proposal_fields,
    proposal_page,
)

# Back-office links this feature adds (Feature.staff_links).
STAFF_LINKS = (
    StaffLink(
        "주민참여예산 차수·단계",
        "budget.round_list",
        visible=lambda user: may_edit(user, department(OWNER_DEPARTMENT)),
    ),
)

# ---------------------------------------------------------------- what the board adds


def _extra_of(proposal: Proposal) -> BudgetProposal:
    extra = db.session.get(BudgetProposal, proposal.id)
    if extra is None:
        abort(404)
    return extra


def _round_from_args(args) -> BudgetRound | None:
    year = year_arg()
    if year is not None:
        found = db.session.scalar(select(BudgetRound).where(BudgetRound.year == year))
        if found is not None:
            return found
    return current_round()


def _ballot_used(budget_round: BudgetRound) -> int:
    if not current_user.is_authenticated:
        return 0
    used = db.session.scalar(
        select(BudgetBallot.used).where(
            BudgetBallot.round_id == budget_round.id, BudgetBallot.user_id == current_user.id
        )
    )
    return used or 0


def _vote_context(budget_round: BudgetRound | None) -> dict:
    if budget_round is None:
        return {"voting_open": False, "results_public": False, "voted": set(), "votes_left": 0}
    today = clock.today()
    limit = get_setting("budget.votes_per_resident")
    return {
        "voting_open": budget_round.voting_open(today),
        "results_public": budget_round.voting_closed(today),
        "voted": my_votes(budget_round.id, current_user),
        "vote_limit": limit,
        "votes_left": max(limit - _ballot_used(budget_round), 0),
    }


def _phase_counts(budget_round: BudgetRound) -> dict[str, int]:
    rows = db.session.execute(
        select(BudgetProposal.phase, func.count())
        .join(Proposal, Proposal.id == BudgetProposal.proposal_id)
        .where(BudgetProposal.round_id == budget_round.id, Proposal.hidden_at.is_(None))
        .group_by(BudgetProposal.phase)
    )
    return dict(rows.all())


def _next_phases(extra: BudgetProposal) -> list[tuple[str, str]]:
    return [(p.value, PHASE_LABELS[p]) for p in NEXT_PHASES.get(Phase(extra.phase), ())]


class BudgetBoard(BoardExtension):
    """The budget board's rounds, phases and votes on the engine's pages."""

    list_intro = "budget/_proposal_intro.html"
    list_filters = "budget/_proposal_filters.html"
    list_item = "budget/_proposal_row.html"
    form_fields = "budget/_proposal_fields.html"
    detail_panel = "budget/_proposal_panel.html"
    created_message = "사업을 제안했습니다. 부서 검토 결과를 알려 드립니다."

    def list_scope(self, spec: BoardSpec, args) -> ListScope:
        """One round's proposals (?year=, else the current round), by phase (?phase=);
        once the vote has closed, voting results rank by votes."""
        budget_round = _round_from_args(args)
        phase = args.get("phase") if args.get("phase") in set(Phase) else ""
        context = {
            "budget_round": budget_round,
            "rounds": db.session.scalars(
                select(BudgetRound).order_by(BudgetRound.year.desc())
            ).all(),
            "phase": phase,
            "phases": PHASE_LABELS,
            "phase_counts": _phase_counts(budget_round) if budget_round else {},
            "today": clock.today(),
            "may_manage": may_edit(current_user, department(OWNER_DEPARTMENT)),
            "empty_form": EmptyForm(formdata=None),
            **_vote_context(budget_round),
        }
        if budget_round is None:
            return ListScope(where=(false(),), context=context)
        in_round = select(BudgetProposal.proposal_id).where(
            BudgetProposal.round_id == budget_round.id
        )
        if phase:
            in_round = in_round.where(BudgetProposal.phase == phase)
        order = None
        if phase in (Phase.VOTING, Phase.SELECTED) and budget_round.voting_closed(clock.today()):
            votes = select(BudgetProposal.vote_count).where(
                BudgetProposal.proposal_id == Proposal.id
            )
            order = (votes.scalar_subquery().desc(), Proposal.id)
        return ListScope(where=(Proposal.id.in_(in_round),), order=order, context=context)

    def list_rows(self, proposals: list[Proposal]) -> dict:
        ids = [p.id for p in proposals]
        rows = (
            db.session.scalars(select(BudgetProposal).where(BudgetProposal.proposal_id.in_(ids)))
            if ids
            else ()
        )
        return {"extras": {x.proposal_id: x for x in rows}}

    def closed_reason(self) -> str | None:
        budget_round = current_round()
        if budget_round is None:
            return "지금은 제안 접수 기간이 아닙니다."
        if not budget_round.accepting_proposals(clock.today()):
            return (
                "지금은 제안 접수 기간이 아닙니다. "
                f"({budget_round.proposal_starts} ~ {budget_round.proposal_ends})"
            )
        return None

    def form(self, spec: BoardSpec, proposal: Proposal | None = None) -> BudgetProposalForm:
        if proposal is None or request.method != "GET":
            return BudgetProposalForm(spec.categories)
        extra = _extra_of(proposal)
        form = BudgetProposalForm(spec.categories, obj=proposal)
        form.dong.data = proposal.dong or ""
        form.place.data, form.estimated_cost.data = extra.place, extra.estimated_cost
        return form

    def create(self, spec: BoardSpec, user, form) -> Proposal:
        extra = propose(
            current_round(),
            user,
            **_project_fields(form),
            client_token=form.token.data or None,
        )
        return extra.proposal

    def edit(self, proposal: Proposal, user, form) -> None:
        budget_ops.edit_proposal(_extra_of(proposal), user, **_project_fields(form))

    def withdraw(self, proposal: Proposal, user) -> None:
        budget_ops.withdraw_proposal(_extra_of(proposal), user)

    def detail_context(self, proposal: Proposal, context: dict) -> dict:
        extra = _extra_of(proposal)
        phase_form = PhaseForm(formdata=None)
        phase_form.to.choices = _next_phases(extra)
        # The author changes a proposal only while it waits in 제안 접수.
        submitted = extra.phase == Phase.SUBMITTED
        return {
            "extra": extra,
            "phase_form": phase_form,
            "phase_deadline": (deadline := budget_ops.phase_deadline(extra)),
            "phase_late": deadline is not None and clock.today() > deadline,
            "may_manage": may_edit(current_user, extra),
            "may_review": budget_ops.may_review(current_user, extra),
            "reviewer_form": ReviewerForm(formdata=None),
            "editable": context["editable"] and submitted,
            "withdrawable": context["withdrawable"] and submitted,
            "list_args": {"year": extra.round.year},
            **_vote_context(extra.round),
        }


def _project_fields(form: BudgetProposalForm) -> dict:
    return proposal_fields(form) | {
        "place": form.place.data,
        "estimated_cost": form.estimated_cost.data,
    }


# The budget board is a configuration of the engine: its own categories (분야), no
# review by 공감 (its proposals move through the round's phases), and its pages' extras.
BUDGET_BOARD = BoardSpec(
    BoardSlug.BUDGET,
    "사업 제안",
    "budget",
    OWNER_DEPARTMENT,
    categories=("안전", "복지", "환경", "문화", "교통", "교육", "보건", "기타"),
    review_by_gonggam=False,
    extension=BudgetBoard(),
)

# ---------------------------------------------------------------- the board's own actions


def _extra_or_404(pid: int) -> BudgetProposal:
    extra = db.session.get(BudgetProposal, pid)
    if extra is None or extra.proposal.board != BUDGET_BOARD.slug:
        abort(404)
    return extra


def _vote_answer(pid: int, status: int = 200, **messages):
    """The vote block for htmx, else the whole detail page, showing `messages`."""
    db.session.expire_all()
    extra = _extra_or_404(pid)
    if not is_htmx():
        return proposal_page(current_board(), extra.proposal, status, **messages)
    html = render_template(
        "budget/_vote.html",
        extra=extra,
        proposal=extra.proposal,
        empty_form=EmptyForm(formdata=None),
        **_vote_context(extra.round),
        **messages,
    )
    # The page's live region says what happened (the vote block is swapped).
    said = messages.get("vote_message") or messages.get("vote_error") or ""
    return html + announce(said), status


def proposal_vote(pid: int):
    """Vote for a project in the vote's dates, or take the vote back (action=withdraw)."""
    extra = _extra_or_404(pid)
    if not EmptyForm().validate_on_submit():
        abort(400)
    if not current_user.is_authenticated:
        abort(401)
    try:
        if request.form.get("action") == "withdraw":
            withdraw_vote(extra, current_user)
            message = "투표를 취소했습니다."
        else:
            cast_vote(extra, current_user)
            message = "투표했습니다."
    except OperationError as error:
        if error.status in (401, 403):
            abort(error.status)
        return _vote_answer(pid, error.status, vote_error=str(error))
    if is_htmx():
        return _vote_answer(pid, vote_message=message)
    flash(message, "success")
    if request.form.get("back") == "list":
        return redirect(url_for("budget.proposal_list") + f"#p-{pid}", code=303)
    return redirect(url_for("budget.proposal_detail", pid=pid) + "#vote", code=303)


def proposal_phase(pid: int):
    """자치행정과 staff move a proposal to its next phase; the 사업부서 it was handed to
    ends the 부서 검토."""
    extra = _extra_or_404(pid)
    if not current_user.is_authenticated:
        abort(401)
    if not budget_ops.may_review(current_user, extra):
        abort(403)
    form = PhaseForm()
    form.to.choices = _next_phases(extra)
    spec = current_board()
    if not form.to.choices:
        return proposal_page(spec, extra.proposal, 409, phase_error="결과가 확정된 제안입니다.")
    if not form.validate_on_submit():
        return proposal_page(spec, extra.proposal, 422, phase_form=form)
    try:
        move_phase(
            extra, form.to.data, current_user, note=form.note.data, budget=form.budget.data,
            late_reason=form.late_reason.data,
        )  # fmt: skip
    except OperationError as error:
        db.session.expire_all()
        proposal = _extra_or_404(pid).proposal
        if error.field and error.field in form:
            return proposal_page(spec, proposal, show_on_form(form, error), phase_form=form)
        return proposal_page(spec, proposal, error.status, phase_form=form, phase_error=str(error))
    flash(f"'{PHASE_LABELS[Phase(form.to.data)]}' 단계로 옮겼습니다.", "success")
    return redirect(url_for("budget.proposal_detail", pid=pid), code=303)


# ---------------------------------------------------------------- rounds (staff)


def _rounds_page(form: RoundForm, budget_round: BudgetRound | None):
    """Create a round (`budget_round` None) or change one's dates; then back to the list."""
    if form.validate_on_submit():
        try:
            data = {name: getattr(form, name).data for name in ("year", *ROUND_DATES)}
            save_round(budget_round, data, current_user.id, reason=form.reason.data)
        except OperationError as error:
            show_on_form(form, error)
        else:
            saved = "차수를 만들었습니다." if budget_round is None else "차수 일정을 저장했습니다."
            flash(saved, "success")
            return redirect(url_for("budget.round_list"), code=303)
    rounds = (
        db.session.scalars(select(BudgetRound).order_by(BudgetRound.year.desc())).all()
        if budget_round is None
        else []
    )
    the_menu = menu("budget")
    html = render_template(
        "budget/rounds.html",
        form=form,
        rounds=rounds,
        round=budget_round,
        history=budget_ops.round_history(budget_round) if budget_round else [],
        menu=the_menu,
        item=next(i for i in the_menu.items if i.slug == "proposals"),
    )
    return html, 422 if form.errors else 200


def round_list():
    require_edit(department(OWNER_DEPARTMENT))
    return _rounds_page(RoundForm(), None)


def round_edit(round_id: int):
    budget_round = db.session.get(BudgetRound, round_id)
    if budget_round is None:
        abort(404)
    require_edit(budget_round)
    form = RoundForm(obj=budget_round if request.method == "GET" else None)
    return _rounds_page(form, budget_round)


def proposal_reviewer(pid: int):
    """자치행정과 hands the proposal's feasibility review to a 사업부서."""
    extra = _extra_or_404(pid)
    require_edit(extra)
    form = ReviewerForm()
    spec = current_board()
    if form.validate_on_submit():
        try:
            budget_ops.assign_reviewer(extra, current_user, form.department.data, form.reason.data)
        except OperationError as error:
            show_on_form(form, error)
        else:
            done = f"{form.department.data}에 사업 검토를 맡겼습니다."
            if is_htmx():
                return _reviewer_answer(pid, ReviewerForm(formdata=None), done)
            flash(done, "success")
            return redirect(url_for("budget.proposal_detail", pid=pid) + "#reviewer", code=303)
    if is_htmx():
        return _reviewer_answer(pid, form, None), 422
    return proposal_page(spec, extra.proposal, 422, reviewer_form=form)


def _reviewer_answer(pid: int, form: ReviewerForm, done: str | None) -> str:
    """For htmx: the 사업부서 지정 section again, and the 사업부서 검토 line it changed."""
    db.session.expire_all()
    extra = _extra_or_404(pid)
    html = render_template(
        "budget/_reviewer_form.html", extra=extra, proposal=extra.proposal,
        reviewer_form=form, reviewer_done=done, swap_line=True,
    )  # fmt: skip
    return html + announce(done or "입력한 내용을 확인하세요.")


BUDGET_ROUTES = (
    BoardRoute("/<id:pid>/reviewer", "proposal_reviewer", proposal_reviewer, ("POST",)),
    BoardRoute("/<id:pid>/vote", "proposal_vote", proposal_vote, ("POST",)),
    BoardRoute("/<id:pid>/phase", "proposal_phase", proposal_phase, ("POST",)),
    BoardRoute("/rounds", "round_list", round_list, ("GET", "POST")),
    BoardRoute("/rounds/<id:round_id>", "round_edit", round_edit, ("GET", "POST")),
)
mount_board(bp, BUDGET_BOARD, extra=BUDGET_ROUTES)


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
