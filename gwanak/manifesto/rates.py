"""Pledge rates (이행률) as plain functions, exactly as the district's card computes them.

- indicator rate = actual ÷ target, capped at 100 %, rounded half-up to one decimal;
- pledge rate = Σ weight × indicator rate ÷ Σ weight, one decimal;
- roll-up: the group's own rate and the pledge's rate combine by the group's rule
  (the card: 6-1 and 6-1-1 count 50:50). A group without indicators of its own counts 0,
  as on the card (its total 20.0 % = 50 % × 0 + 50 % × 40.0 %).

Actuals of an indicator fed by a live source (gwanak/core/live_figures.py) come from the
portal's own data for the years from `live_from` up to this year; earlier years, and
sources no feature has registered yet, use the figures staff entered.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from gwanak.core import clock
from gwanak.core.live_figures import live_figure, live_figures

ONE_DECIMAL = Decimal("0.1")
HUNDRED = Decimal(100)


def round1(value: Decimal) -> Decimal:
    return value.quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def indicator_rate(actual: Decimal | int | None, target: Decimal | int | None) -> Decimal:
    """actual ÷ target as a percentage, capped at 100, one decimal (0 when no target)."""
    if not target or actual is None:
        return Decimal("0.0")
    ratio = Decimal(actual) / Decimal(target) * HUNDRED
    return round1(min(ratio, HUNDRED))


def weighted_rate(pairs: Iterable[tuple[int | Decimal, Decimal]]) -> Decimal:
    """Σ weight × rate ÷ Σ weight, one decimal (0 with no weights)."""
    pairs = list(pairs)
    total_weight = sum((Decimal(w) for w, _ in pairs), Decimal(0))
    if not total_weight:
        return Decimal("0.0")
    return round1(sum((Decimal(w) * r for w, r in pairs), Decimal(0)) / total_weight)


def rollup_rate(
    group_rate: Decimal, pledge_rate: Decimal, group_share: int, pledge_share: int
) -> Decimal:
    """The group's and the pledge's rate combined by the group's roll-up rule."""
    total = group_share + pledge_share
    if not total:
        return pledge_rate
    return round1((Decimal(group_share) * group_rate + Decimal(pledge_share) * pledge_rate) / total)


def mean_rate(rates: Sequence[Decimal]) -> Decimal:
    if not rates:
        return Decimal("0.0")
    return round1(sum(rates, Decimal(0)) / len(rates))


@dataclass
class YearFigure:
    year: int
    target: Decimal | None
    actual: Decimal | None
    live: bool = False
    quarters: dict[int, Decimal] = field(default_factory=dict)  # quarter → target


@dataclass
class IndicatorReport:
    indicator: object
    years: list[YearFigure]
    actual: Decimal
    rate: Decimal
    live: bool  # at least one year's actual comes from a live source
    live_pending: bool  # a live source is named but no feature has registered it yet


def indicator_report(indicator, this_year: int | None = None) -> IndicatorReport:
    """Yearly targets and actuals of one indicator (live where fed), its total and rate."""
    this_year = this_year or clock.today().year
    by_year: dict[int, YearFigure] = {}
    for fig in indicator.figures:
        row = by_year.setdefault(fig.year, YearFigure(fig.year, None, None))
        if fig.quarter == 0:
            row.target, row.actual = fig.target, fig.actual
        elif fig.target is not None:
            row.quarters[fig.quarter] = fig.target
    source = indicator.live_source
    registered = bool(source) and source in live_figures()
    if registered and indicator.live_from:
        for year in range(indicator.live_from, this_year + 1):
            row = by_year.setdefault(year, YearFigure(year, None, None))
            row.actual = Decimal(live_figure(source, year))
            row.live = True
    years = [by_year[y] for y in sorted(by_year)]
    actual = sum((y.actual for y in years if y.actual is not None), Decimal(0))
    return IndicatorReport(
        indicator=indicator,
        years=years,
        actual=actual,
        rate=indicator_rate(actual, indicator.target),
        live=any(y.live for y in years),
        live_pending=bool(source) and not registered,
    )


@dataclass
class PledgeReport:
    pledge: object
    indicators: list[IndicatorReport]
    rate: Decimal  # the pledge's own weighted rate
    group_rate: Decimal  # the group's own indicators
    total_rate: Decimal  # rolled up by the group's rule
    budget: BudgetReport


@dataclass
class BudgetYear:
    year: int
    planned: Decimal
    executed: Decimal | None
    by_source: dict[str, tuple[Decimal, Decimal | None]]


@dataclass
class BudgetReport:
    years: list[BudgetYear]
    planned: Decimal
    executed: Decimal
    by_source: dict[str, tuple[Decimal, Decimal]]


def budget_report(lines) -> BudgetReport:
    years: dict[int, BudgetYear] = {}
    sources: dict[str, tuple[Decimal, Decimal]] = {}
    for line in lines:
        row = years.setdefault(line.year, BudgetYear(line.year, Decimal(0), None, {}))
        row.planned += line.planned
        if line.executed is not None:
            row.executed = (row.executed or Decimal(0)) + line.executed
        row.by_source[line.source] = (line.planned, line.executed)
        planned, executed = sources.get(line.source, (Decimal(0), Decimal(0)))
        sources[line.source] = (planned + line.planned, executed + (line.executed or 0))
    ordered = [years[y] for y in sorted(years)]
    return BudgetReport(
        years=ordered,
        planned=sum((y.planned for y in ordered), Decimal(0)),
        executed=sum((y.executed or Decimal(0) for y in ordered), Decimal(0)),
        by_source=sources,
    )


def group_rate(group, this_year: int | None = None) -> Decimal:
    reports = [indicator_report(i, this_year) for i in group.indicators]
    return weighted_rate((r.indicator.weight, r.rate) for r in reports)


def pledge_report(pledge, this_year: int | None = None) -> PledgeReport:
    reports = [indicator_report(i, this_year) for i in pledge.indicators]
    own = weighted_rate((r.indicator.weight, r.rate) for r in reports)
    group = pledge.group
    parent = group_rate(group, this_year)
    return PledgeReport(
        pledge=pledge,
        indicators=reports,
        rate=own,
        group_rate=parent,
        total_rate=rollup_rate(parent, own, group.rollup_group, group.rollup_pledges),
        budget=budget_report(pledge.budget_lines),
    )
