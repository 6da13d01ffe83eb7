"""부서별 답변 현황: a public page of how each 담당 부서 answered proposals, for any
period (from/to dates in a GET form); the same figures are the open dataset
'department-answers'."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, request

from gwanak.core import clock
from gwanak.core.htmx import render
from gwanak.participation.queries import answer_stats

bp = Blueprint("departments", __name__, url_prefix="/participation")

BAD_DATE = "날짜를 2026-03-01 형식으로 입력하세요."


def _date_arg(name: str, errors: dict[str, str]) -> date | None:
    raw = (request.args.get(name) or "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        errors[name] = BAD_DATE
        return None


@bp.route("/departments")
def answers():
    errors: dict[str, str] = {}
    start, end = _date_arg("from", errors), _date_arg("to", errors)
    if start and end and start > end:
        errors["to"] = "끝나는 날은 시작하는 날과 같거나 뒤여야 합니다."
        end = None
    rows = answer_stats(start, end)
    totals = {
        key: sum(getattr(r, key) for r in rows)
        for key in ("received", "answered", "on_time", "late", "overdue", "waiting")
    }
    return render(
        "participation/department_answers.html",
        "results",
        rows=rows,
        totals=totals,
        start=start,
        end=end,
        raw={k: request.args.get(k, "") for k in ("from", "to")},
        errors=errors,
        today=clock.today(),
    ), (422 if errors else 200)
