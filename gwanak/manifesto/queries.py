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
    PledgeSnapshot,
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
        selectinload(Pledge.snapshots).selectinload(PledgeSnapshot.indicators),
        *extra,
    )


def pledge_reports(
    department: str | None = None, status: str | None = None, this_year: int | None = None
) -> list[PledgeReport]:
    """Every pledge (optionally one department's, one status) with its rates, in catalogue
    order; live sources counted up to `this_year` (default: this year)."""
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
    return [pledge_report(p, this_year) for p in db.session.scalars(query).unique()]


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


def latest_snapshot(pledge: Pledge) -> PledgeSnapshot | None:
    """The pledge's most recent 공표 (snapshots are ordered newest 기준일 first)."""
    return pledge.snapshots[0] if pledge.snapshots else None


@dataclass
class RateRow:
    label: str
    count: int  # pledges with published figures
    rate: Decimal  # mean of their latest published total rates
    live: Decimal  # mean of the live total rates of the same pledges


@dataclass
class Progress:
    overall: Decimal  # published figures
    live_overall: Decimal
    count: int  # pledges in the averages: published, not retired, not illustrative
    unpublished: int  # counted pledges with nothing published yet
    excluded: int  # retired or illustrative
    latest_as_of: object  # the newest 기준일 among the averaged pledges
    areas: list[RateRow]
    departments: list[RateRow]
    statuses: list[tuple[str, int]]


def _rows(groups: dict[str, list[tuple[Decimal, Decimal]]]) -> list[RateRow]:
    return [
        RateRow(k, len(v), mean_rate([p for p, _ in v]), mean_rate([live for _, live in v]))
        for k, v in groups.items()
    ]


def progress(reports: list[PledgeReport]) -> Progress:
    """Overall, per area and per department: the mean of the pledges' latest published
    total rates, beside the mean of their live rates. Only pledges that count are
    averaged: published, not retired (폐기·철회), not the demo's illustrative ones."""
    per_area: dict[str, list[tuple[Decimal, Decimal]]] = defaultdict(list)
    per_department: dict[str, list[tuple[Decimal, Decimal]]] = defaultdict(list)
    statuses = dict.fromkeys(STATUSES, 0)
    averaged, unpublished, excluded, dates = [], 0, 0, []
    for report in reports:
        pledge = report.pledge
        if not pledge.counted:
            excluded += 1
            continue
        statuses[pledge.status] = statuses.get(pledge.status, 0) + 1
        snapshot = latest_snapshot(pledge)
        if snapshot is None:
            unpublished += 1
            continue
        pair = (snapshot.total_rate, report.total_rate)
        averaged.append(pair)
        dates.append(snapshot.as_of)
        area = pledge.group.goal.area
        per_area[f"{area.code}. {area.title}"].append(pair)
        per_department[pledge.department].append(pair)
    return Progress(
        overall=mean_rate([p for p, _ in averaged]),
        live_overall=mean_rate([live for _, live in averaged]),
        count=len(averaged),
        unpublished=unpublished,
        excluded=excluded,
        latest_as_of=max(dates) if dates else None,
        areas=_rows(per_area),
        departments=_rows(dict(sorted(per_department.items()))),
        statuses=list(statuses.items()),
    )
