"""Reading the catalogue for pages: a fixed number of queries however many pledges there are."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from flask import abort
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from gwanak.core.extensions import db
from gwanak.manifesto.models import (
    STATUSES,
    Indicator,
    Pledge,
    PledgeGroup,
    StrategyGoal,
    VisionArea,
)
from gwanak.manifesto.rates import PledgeReport, mean_rate, pledge_report


def _loaded(*extra):
    figures = selectinload(Indicator.figures)
    return (
        joinedload(Pledge.group).options(
            joinedload(PledgeGroup.goal).joinedload(StrategyGoal.area),
            selectinload(PledgeGroup.indicators).options(figures),
        ),
        selectinload(Pledge.indicators).options(figures),
        selectinload(Pledge.budget_lines),
        *extra,
    )


def pledge_reports(department: str | None = None, status: str | None = None) -> list[PledgeReport]:
    """Every pledge (optionally one department's, one status) with its rates, in catalogue order."""
    query = (
        select(Pledge)
        .join(Pledge.group)
        .join(PledgeGroup.goal)
        .join(StrategyGoal.area)
        .options(*_loaded())
        .order_by(
            VisionArea.position,
            StrategyGoal.position,
            PledgeGroup.position,
            Pledge.position,
            Pledge.code,
        )
    )
    if department:
        query = query.where(Pledge.department == department)
    if status:
        query = query.where(Pledge.status == status)
    return [pledge_report(p) for p in db.session.scalars(query).unique()]


def pledge_page(code: str) -> PledgeReport:
    pledge = db.session.scalars(
        select(Pledge).where(Pledge.code == code).options(*_loaded(selectinload(Pledge.milestones)))
    ).first()
    if pledge is None:
        abort(404)
    return pledge_report(pledge)


def departments() -> list[str]:
    return list(
        db.session.scalars(select(Pledge.department).distinct().order_by(Pledge.department))
    )


@dataclass
class Section:
    """A vision area with its pledges (the 한눈에 보는 공약 layout)."""

    area: VisionArea
    reports: list[PledgeReport]


def by_area(reports: list[PledgeReport]) -> list[Section]:
    sections: dict[int, Section] = {}
    for report in reports:
        area = report.pledge.group.goal.area
        sections.setdefault(area.id, Section(area, [])).reports.append(report)
    return list(sections.values())


@dataclass
class RateRow:
    label: str
    count: int
    rate: Decimal


@dataclass
class Progress:
    overall: Decimal
    count: int
    areas: list[RateRow]
    departments: list[RateRow]
    statuses: list[tuple[str, int]]


def progress(reports: list[PledgeReport]) -> Progress:
    """Overall, per area and per department: the mean of the pledges' rolled-up rates."""
    per_area: dict[str, list[Decimal]] = defaultdict(list)
    per_department: dict[str, list[Decimal]] = defaultdict(list)
    statuses = dict.fromkeys(STATUSES, 0)
    for report in reports:
        area = report.pledge.group.goal.area
        per_area[f"{area.code}. {area.title}"].append(report.total_rate)
        per_department[report.pledge.department].append(report.total_rate)
        statuses[report.pledge.status] = statuses.get(report.pledge.status, 0) + 1
    return Progress(
        overall=mean_rate([r.total_rate for r in reports]),
        count=len(reports),
        areas=[RateRow(k, len(v), mean_rate(v)) for k, v in per_area.items()],
        departments=[RateRow(k, len(v), mean_rate(v)) for k, v in sorted(per_department.items())],
        statuses=list(statuses.items()),
    )
