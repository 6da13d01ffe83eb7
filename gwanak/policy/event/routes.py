"""정책참여 이벤트: /policy/event (past winners) and /policy/event/staff (기획예산과)."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, request, url_for
from flask_login import current_user

from gwanak.core import clock
from gwanak.core.extensions import db
from gwanak.core.features import StaffLink
from gwanak.core.htmx import render
from gwanak.core.menus import menu
from gwanak.core.operations import OperationError
from gwanak.core.permissions import department, in_department, require_edit
from gwanak.core.settings import get_setting
from gwanak.policy.blueprint import bp
from gwanak.policy.event import operations as ops
from gwanak.policy.event.forms import ConfirmForm, PayoutForm
from gwanak.policy.event.models import EVENT_DEPARTMENT, EventMonth, EventWinner

# Back-office links this feature adds (Feature.staff_links).
STAFF_LINKS = (
    StaffLink(
        "정책참여 이벤트 관리",
        "policy.event_staff",
        visible=lambda user: user.is_admin or in_department(user, EVENT_DEPARTMENT),
    ),
)


def _ctx(**context):
    the_menu = menu("policy")
    item = next(i for i in the_menu.items if i.slug == "event")
    return {
        "menu": the_menu,
        "item": item,
        "month_label": ops.month_label,
        "month_text": ops.month_text,
        **context,
    }


def _rules() -> dict:
    return {
        "first": ops.month_label(get_setting("event.first_month")),
        "last": ops.month_label(get_setting("event.last_month")),
        "proposal_winners": get_setting("event.proposal_winners"),
        "comment_winners": get_setting("event.comment_winners"),
        "min_proposals": get_setting("event.min_proposals"),
        "min_comments": get_setting("event.min_comments"),
        "prize": get_setting("event.prize_won"),
        "tie_rule": ops.TIE_RULE,
    }


@bp.route("/event")
def event_index():
    return render("policy/event/index.html", **_ctx(months=ops.past_winners(), rules=_rules()))


def _month_arg(text: str | None) -> int:
    try:
        month = ops.parse_month(text or "")
    except ValueError:
        abort(404)
    return month


@bp.route("/event/staff")
def event_staff():
    require_edit(department(EVENT_DEPARTMENT))
    months = ops.period_months()
    if request.args.get("month"):
        month = _month_arg(request.args["month"])
    elif months:
        month = months[0]
    else:
        month = get_setting("event.first_month")
    return render(
        "policy/event/staff.html",
        **_ctx(
            month=month,
            months=months,
            ranking=ops.rank_month(month),
            record=db.session.get(EventMonth, month),
            budget=ops.budget_of(month // 100),
            in_period=ops.in_period(month),
            ended=clock.now() >= ops.month_bounds(month)[1],
            confirm_form=ConfirmForm(),
            payout_form=PayoutForm(formdata=None),
            rules=_rules(),
        ),
    )


@bp.route("/event/staff/<month_str>/confirm", methods=["POST"])
def event_confirm(month_str: str):
    require_edit(department(EVENT_DEPARTMENT))
    month = _month_arg(month_str)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        record = ops.confirm_month(month, current_user)
    except OperationError as error:
        flash(error.message, "error")
    else:
        flash(f"{record.label} 당첨자 {record.winner_count}명을 확정했습니다.", "success")
    return redirect(url_for("policy.event_staff", month=month_str), code=303)


@bp.route("/event/staff/winners/<id:winner_id>/payout", methods=["POST"])
def event_payout(winner_id: int):
    winner = db.get_or_404(EventWinner, winner_id)
    require_edit(winner)
    form = PayoutForm()
    back = url_for("policy.event_staff", month=ops.month_text(winner.month))
    if not form.validate_on_submit():
        flash(" ".join(e for errors in form.errors.values() for e in errors), "error")
        return redirect(back, code=303)
    try:
        ops.record_payout(winner, current_user, form.paid_on.data, form.amount.data, form.note.data)
    except OperationError as error:
        flash(error.message, "error")
    else:
        flash(f"{winner.user.name}님 지급을 기록했습니다.", "success")
    return redirect(back, code=303)


@bp.route("/event/staff/<month_str>.csv")
def event_csv(month_str: str):
    require_edit(department(EVENT_DEPARTMENT))
    month = _month_arg(month_str)
    return Response(
        ops.month_csv(month),
        mimetype="text/csv",
        headers={
            "Content-Disposition": f"attachment; filename=policy-event-{ops.month_text(month)}.csv"
        },
    )
