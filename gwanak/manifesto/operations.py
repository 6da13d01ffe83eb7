"""Staff updates on a pledge: actuals, budget execution, status and milestones.

Every operation checks its input against the pledge, locks the pledge row (so two
officers saving at once serialise on PostgreSQL), writes a `PledgeChange` for the
pledge's public history and an audit entry, and commits.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import select

from gwanak.core import clock
from gwanak.core.audit import record_audit
from gwanak.core.extensions import db
from gwanak.core.live_figures import live_figures
from gwanak.core.operations import OperationError
from gwanak.manifesto.models import (
    BUDGET_SOURCES,
    STATUSES,
    BudgetLine,
    IndicatorFigure,
    Milestone,
    Pledge,
    PledgeChange,
)


def _fmt(value: Decimal | None) -> str:
    if value is None:
        return "-"
    return format(value.normalize(), "f") if value != value.to_integral_value() else str(int(value))


def _lock(pledge: Pledge) -> None:
    db.session.execute(select(Pledge.id).where(Pledge.id == pledge.id).with_for_update())


def _record(pledge: Pledge, what: str, before: str | None, after: str | None, actor_id) -> None:
    db.session.add(
        PledgeChange(
            pledge_id=pledge.id,
            actor_id=actor_id,
            what=what,
            before=before,
            after=after,
            created_at=clock.now(),
        )
    )
    record_audit(
        "manifesto.update",
        "pledge",
        pledge.code,
        before={what: before},
        after={what: after},
        actor_id=actor_id,
    )
    pledge.updated_at = clock.now()
    db.session.commit()


def _check_year(pledge: Pledge, year: int) -> None:
    if not pledge.period_start <= year <= pledge.period_end:
        raise OperationError(
            f"사업기간({pledge.period_start}~{pledge.period_end}년) 안의 연도를 입력하세요.",
            field="year",
        )


def set_status(pledge: Pledge, status: str, actor_id: int) -> None:
    if status not in STATUSES:
        raise OperationError("추진상황을 목록에서 고르세요.", field="status")
    if status == pledge.status:
        raise OperationError("이미 그 추진상황입니다.", field="status")
    _lock(pledge)
    before, pledge.status = pledge.status, status
    _record(pledge, "추진상황", before, status, actor_id)


def set_actual(
    pledge: Pledge, indicator_no: int, year: int, actual: Decimal, actor_id: int
) -> None:
    """Set one indicator's actual for a year (the yearly row, quarter 0)."""
    indicator = next((i for i in pledge.indicators if i.no == indicator_no), None)
    if indicator is None:
        raise OperationError("지표를 목록에서 고르세요.", field="indicator")
    _check_year(pledge, year)
    if actual < 0:
        raise OperationError("실적은 0 이상이어야 합니다.", field="actual")
    live = indicator.live_source in live_figures() and indicator.live_from
    if live and year >= indicator.live_from:
        raise OperationError(
            f"{year}년 실적은 포털이 실시간으로 집계합니다. 직접 입력할 수 없습니다.", field="year"
        )
    _lock(pledge)
    figure = db.session.scalar(
        select(IndicatorFigure).where(
            IndicatorFigure.indicator_id == indicator.id,
            IndicatorFigure.year == year,
            IndicatorFigure.quarter == 0,
        )
    )
    if figure is None:
        figure = IndicatorFigure(indicator_id=indicator.id, year=year, quarter=0)
        db.session.add(figure)
    before = figure.actual
    if before is not None and before == actual:
        db.session.rollback()
        raise OperationError("이미 저장된 값과 같습니다.", field="actual")
    figure.actual = actual
    _record(
        pledge,
        f"지표 {indicator.no} {indicator.name} {year}년 실적",
        _fmt(before),
        _fmt(actual),
        actor_id,
    )


def set_execution(pledge: Pledge, year: int, source: str, executed: Decimal, actor_id: int) -> None:
    """Set the budget executed in a year from a source (million won)."""
    _check_year(pledge, year)
    if source not in BUDGET_SOURCES:
        raise OperationError("재원을 목록에서 고르세요.", field="source")
    if executed < 0:
        raise OperationError("집행액은 0 이상이어야 합니다.", field="executed")
    _lock(pledge)
    line = db.session.scalar(
        select(BudgetLine).where(
            BudgetLine.pledge_id == pledge.id, BudgetLine.year == year, BudgetLine.source == source
        )
    )
    if line is None:
        line = BudgetLine(pledge_id=pledge.id, year=year, source=source, planned=Decimal(0))
        db.session.add(line)
    before = line.executed
    if before is not None and before == executed:
        db.session.rollback()
        raise OperationError("이미 저장된 값과 같습니다.", field="executed")
    line.executed = executed
    _record(pledge, f"{year}년 {source} 집행액", _fmt(before), _fmt(executed), actor_id)


def add_milestone(
    pledge: Pledge, happened_on: date, when_label: str, title: str, detail: str, actor_id: int
) -> Milestone:
    if any(m.happened_on == happened_on and m.title == title for m in pledge.milestones):
        raise OperationError("같은 날짜에 같은 추진사항이 이미 있습니다.", field="title")
    _lock(pledge)
    milestone = Milestone(
        pledge_id=pledge.id,
        happened_on=happened_on,
        when_label=when_label,
        title=title,
        detail=detail,
    )
    db.session.add(milestone)
    _record(pledge, "추진실적 추가", None, f"{happened_on.isoformat()} {title}", actor_id)
    return milestone


def history(pledge: Pledge, limit: int = 50) -> list[PledgeChange]:
    return list(
        db.session.scalars(
            select(PledgeChange)
            .where(PledgeChange.pledge_id == pledge.id)
            .order_by(PledgeChange.id.desc())
            .limit(limit)
        )
    )
