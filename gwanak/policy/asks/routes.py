"""관악구가 묻습니다! pages at /policy/asks."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_login import current_user

from gwanak.core.extensions import db
from gwanak.core.features import StaffLink
from gwanak.core.htmx import announce, is_htmx, render
from gwanak.core.menus import menu
from gwanak.core.operations import OperationError, show_on_form
from gwanak.core.params import page_arg
from gwanak.core.permissions import require_edit
from gwanak.participation.views import comments_context
from gwanak.policy.asks import operations as ops
from gwanak.policy.asks.forms import (
    AgendaEditForm,
    AgendaForm,
    CloseEarlyForm,
    ExtendForm,
    ResultForm,
    VoteForm,
    WithdrawForm,
)
from gwanak.policy.asks.models import KINDS, STATE_LABELS, Agenda, AgendaState
from gwanak.policy.blueprint import bp

STAFF_LINKS = (
    StaffLink("관악구가 묻습니다! 의제 등록", "policy.asks_new", visible=ops.may_post_any),
)


def _ctx(**context):
    the_menu = menu("policy")
    item = next(i for i in the_menu.items if i.slug == "asks")
    return {"menu": the_menu, "item": item, "kinds": KINDS, "state_labels": STATE_LABELS, **context}


@bp.route("/asks")
def asks_list():
    state = request.args.get("state") or None
    if state is not None and state not in ops.STATE_FILTERS:
        abort(404)
    page = page_arg()
    agendas, has_next = ops.list_agendas(state, page)
    return render(
        "policy/asks/list.html",
        **_ctx(
            agendas=agendas,
            has_next=has_next,
            page=page,
            state=state,
            figures=ops.asks_figures(),
            may_post=ops.may_post_any(current_user),
        ),  # fmt: skip
    )


def _poll_result_sentence(context: dict) -> str:
    """What a screen reader hears after a vote: that it counted, and the results."""
    results = ", ".join(f"{t.option.label} {t.votes}표" for t in context["tallies"])
    return f"투표했습니다. 지금 결과: {results} (모두 {context['total_votes']}표)."


def _detail_context(agenda: Agenda, vote_form: VoteForm | None = None) -> dict:
    tallies, total = ops.tally(agenda)
    form = vote_form or VoteForm(formdata=None)
    form.option.choices = [(o.id, o.label) for o in agenda.options]
    mine = ops.my_vote(agenda, current_user)
    if vote_form is None and mine:
        form.option.data = mine
    return _ctx(
        agenda=agenda,
        tallies=tallies,
        total_votes=total,
        vote_form=form,
        my_vote=mine,
        poll_closed=ops.closed_reason(agenda),
        may_edit_agenda=current_user.is_authenticated and _may_edit(agenda),
        **comments_context(agenda.discussion),
    )


def _may_edit(agenda: Agenda) -> bool:
    from gwanak.core.permissions import may_edit

    return may_edit(current_user, agenda)


@bp.route("/asks/<id:agenda_id>")
def asks_detail(agenda_id: int):
    agenda = db.get_or_404(Agenda, agenda_id)
    return render("policy/asks/detail.html", **_detail_context(agenda))


@bp.route("/asks/<id:agenda_id>/vote", methods=["POST"])
def asks_vote(agenda_id: int):
    agenda = db.get_or_404(Agenda, agenda_id)
    if not current_user.is_authenticated:
        abort(401)
    form = VoteForm()
    form.option.choices = [(o.id, o.label) for o in agenda.options]
    status = 422
    if form.validate_on_submit():
        try:
            ops.cast_vote(agenda, current_user, form.option.data)
        except OperationError as error:
            if error.status in (401, 403, 404):
                abort(error.status)
            status = show_on_form(form, error)
        else:
            if not is_htmx():
                flash("투표했습니다. 마감 전까지 바꿀 수 있습니다.", "success")
                return redirect(
                    url_for("policy.asks_detail", agenda_id=agenda.id) + "#poll", code=303
                )
            context = _detail_context(agenda)
            html = render("policy/asks/detail.html", block="poll", **context)
            return html + announce(_poll_result_sentence(context))
    if is_htmx():
        # htmx swaps only 2xx answers: the fragment carries the error by the field.
        status = 200
    return render("policy/asks/detail.html", block="poll", **_detail_context(agenda, form)), status


@bp.route("/asks/new", methods=["GET", "POST"])
def asks_new():
    if not current_user.is_authenticated:
        abort(401)
    if not ops.may_post_any(current_user):
        abort(403)
    form = AgendaForm()
    if not ops.may_post(current_user, "general"):
        form.kind.choices = [("governance", KINDS["governance"])]
    if form.validate_on_submit():
        data = ops.AgendaFields(
            kind=form.kind.data,
            title=form.title.data,
            body=form.body.data,
            opens_on=form.opens_on.data,
            closes_on=form.closes_on.data,
            poll_question=form.poll_question.data,
            poll_options=(form.poll_options.data or "").splitlines(),
        )
        try:
            agenda = ops.post_agenda(current_user, data)
        except OperationError as error:
            if error.status == 403:
                abort(403)
            show_on_form(form, error)
        else:
            flash("의제를 등록했습니다.", "success")
            return redirect(url_for("policy.asks_detail", agenda_id=agenda.id), code=303)
    status = 422 if form.errors or form.form_errors else 200
    return render("policy/asks/new.html", **_ctx(form=form)), status


@bp.route("/asks/<id:agenda_id>/result", methods=["GET", "POST"])
def asks_result(agenda_id: int):
    agenda = db.get_or_404(Agenda, agenda_id)
    require_edit(agenda)
    form = ResultForm(data={"result": agenda.result_md} if request.method == "GET" else None)
    status = 200
    if form.validate_on_submit():
        try:
            ops.publish_result(agenda, current_user, form.result.data)
        except OperationError as error:
            status = show_on_form(form, error)
        else:
            flash("결과 반영 내용을 공개했습니다.", "success")
            return redirect(
                url_for("policy.asks_detail", agenda_id=agenda.id) + "#result", code=303
            )
    elif form.errors:
        status = 422
    elif request.method == "GET" and agenda.state() in (AgendaState.UPCOMING, AgendaState.OPEN):
        form.form_errors.append(
            f"의견 접수가 끝난 뒤({agenda.closes_on} 이후)에 결과를 공개할 수 있습니다."
        )
    return render("policy/asks/result.html", **_ctx(agenda=agenda, form=form)), status


@bp.route("/asks/<id:agenda_id>/edit", methods=["GET", "POST"])
def asks_edit(agenda_id: int):
    agenda = db.get_or_404(Agenda, agenda_id)
    require_edit(agenda)
    data = None
    if request.method == "GET":
        data = {"title": agenda.title, "body": agenda.body_md, "opens_on": agenda.opens_on}
    form = AgendaEditForm(data=data)
    status = 200
    if form.validate_on_submit():
        try:
            ops.edit_agenda(
                agenda, current_user, form.title.data, form.body.data, form.opens_on.data
            )
        except OperationError as error:
            status = show_on_form(form, error)
        else:
            flash("의제를 고쳤습니다.", "success")
            return redirect(url_for("policy.asks_detail", agenda_id=agenda.id), code=303)
    elif form.errors:
        status = 422
    return render("policy/asks/edit.html", **_ctx(agenda=agenda, form=form)), status


def _manage_forms(**given) -> dict:
    forms = {
        "extend_form": ExtendForm(formdata=None),
        "close_form": CloseEarlyForm(formdata=None),
        "withdraw_form": WithdrawForm(formdata=None),
    }
    return forms | given


@bp.route("/asks/<id:agenda_id>/manage")
def asks_manage(agenda_id: int):
    """마감 연장 · 조기 마감 · 철회: one page of small forms, each posting to its own URL."""
    agenda = db.get_or_404(Agenda, agenda_id)
    require_edit(agenda)
    return render("policy/asks/manage.html", **_ctx(agenda=agenda, **_manage_forms()))


# Each manage action: the form class, its key on the page, the operation, the flash.
_MANAGE_ACTIONS = {
    "extend": (ExtendForm, "extend_form", "마감일을 연장했습니다."),
    "close": (CloseEarlyForm, "close_form", "의견 접수를 조기 마감했습니다."),
    "withdraw": (WithdrawForm, "withdraw_form", "의제를 철회했습니다. 사유가 공개됩니다."),
}


def _run_manage_action(action: str, agenda: Agenda, form) -> None:
    if action == "extend":
        ops.extend_deadline(agenda, current_user, form.closes_on.data)
    elif action == "close":
        ops.close_early(agenda, current_user)
    else:
        ops.withdraw_agenda(agenda, current_user, form.reason.data)


@bp.route("/asks/<id:agenda_id>/<any(extend, close, withdraw):action>", methods=["POST"])
def asks_manage_action(agenda_id: int, action: str):
    agenda = db.get_or_404(Agenda, agenda_id)
    require_edit(agenda)
    form_class, key, done = _MANAGE_ACTIONS[action]
    form = form_class()
    status = 422
    if form.validate_on_submit():
        try:
            _run_manage_action(action, agenda, form)
        except OperationError as error:
            status = show_on_form(form, error)
        else:
            if not is_htmx():
                flash(done, "success")
                return redirect(url_for("policy.asks_detail", agenda_id=agenda.id), code=303)
            context = _ctx(agenda=agenda, **_manage_forms())
            return render("policy/asks/manage.html", block="manage", **context) + announce(done)
    if is_htmx():
        status = 200  # htmx swaps only 2xx answers: the fragment carries the message
    context = _ctx(agenda=agenda, **_manage_forms(**{key: form}))
    return render("policy/asks/manage.html", block="manage", **context), status


def open_agendas_section():
    """Home page: the agendas open for opinions now."""
    agendas, _ = ops.list_agendas(AgendaState.OPEN, 1, per_page=3)
    if not agendas:
        return None
    return "policy/asks/_home.html", {"agendas": agendas}
