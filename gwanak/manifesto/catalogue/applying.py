"""Applying a checked catalogue in one transaction: areas, goals, groups and pledges
upserted by code."""

from __future__ import annotations

import csv
from typing import Any

from sqlalchemy import select

from gwanak.core import clock
from gwanak.core.audit import record_audit
from gwanak.core.extensions import db
from gwanak.manifesto.catalogue.checking import clean
from gwanak.manifesto.catalogue.file_format import (
    CatalogueError,
    ImportProblem,
    ImportReport,
)
from gwanak.manifesto.catalogue.parsing import parse_csv, parse_json
from gwanak.manifesto.models import (
    BudgetLine,
    Indicator,
    IndicatorFigure,
    Milestone,
    Pledge,
    PledgeGroup,
    StrategyGoal,
    VisionArea,
)
from gwanak.manifesto.publishing import Period, freeze_figures


def _by_code(model) -> dict[str, Any]:
    return {row.code: row for row in db.session.scalars(select(model))}


def _indicator_rows(items: list[dict]) -> list[Indicator]:
    rows = []
    for item in items:
        ind = Indicator(
            no=item["no"],
            name=item["name"],
            measure=item["measure"],
            unit=item["unit"],
            weight=item["weight"],
            target=item["target"],
            live_source=item["live_source"],
            live_from=item["live_from"],
        )
        ind.figures = [
            IndicatorFigure(
                year=f["year"], quarter=f["quarter"], target=f["target"], actual=f["actual"]
            )
            for f in item["figures"]
        ]
        rows.append(ind)
    return rows


def apply_catalogue(catalogue: dict, actor_id: int | None = None) -> dict[str, int]:
    """Upsert a cleaned catalogue and commit, all or nothing."""
    counts = dict.fromkeys(("areas", "goals", "groups", "pledges", "indicators"), 0)
    try:
        areas, goals = _by_code(VisionArea), _by_code(StrategyGoal)
        groups, pledges = _by_code(PledgeGroup), _by_code(Pledge)
        for a_pos, a in enumerate(catalogue["areas"]):
            area = areas.get(a["code"]) or VisionArea(code=a["code"])
            area.title, area.position = a["title"], a_pos
            db.session.add(area)
            counts["areas"] += 1
            for g_pos, g in enumerate(a["goals"]):
                goal = goals.get(g["code"]) or StrategyGoal(code=g["code"])
                goal.area, goal.title, goal.position = area, g["title"], g_pos
                counts["goals"] += 1
                for p_pos, p in enumerate(g["groups"]):
                    group = groups.get(p["code"]) or PledgeGroup(code=p["code"])
                    group.goal, group.title, group.position = goal, p["title"], p_pos
                    group.rollup_group = p["rollup"]["group"]
                    group.rollup_pledges = p["rollup"]["pledges"]
                    group.indicators.clear()
                    db.session.add(group)
                    db.session.flush()
                    group.indicators.extend(_indicator_rows(p["indicators"]))
                    counts["groups"] += 1
                    counts["indicators"] += len(p["indicators"])
                    for s_pos, s in enumerate(p["pledges"]):
                        _apply_pledge(pledges.get(s["code"]), group, s, s_pos, actor_id)
                        counts["pledges"] += 1
                        counts["indicators"] += len(s["indicators"])
        record_audit(
            "manifesto.import", "manifesto_catalogue", "all", after=counts, actor_id=actor_id
        )
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return counts


def _apply_pledge(
    pledge: Pledge | None, group: PledgeGroup, s: dict, position: int, actor_id: int | None
) -> None:
    from gwanak.manifesto.forum import open_pledge_discussion

    discussion = None
    if pledge is None or pledge.discussion_id is None:
        # Opened first: it flushes, and a half-built pledge must not be flushed with it.
        discussion = open_pledge_discussion(s["department"])
    pledge = pledge or Pledge(code=s["code"])
    pledge.group, pledge.position = group, position
    pledge.illustrative = s["illustrative"]
    for key in ("title", "department", "kind", "completion", "actor", "central_help", "status"):
        setattr(pledge, key, s[key])
    pledge.period_start, pledge.period_end = s["period"]
    pledge.goals, pledge.plan, pledge.effects = list(s["goals"]), s["plan"], s["effects"]
    pledge.updated_at = clock.now()
    if discussion is not None:
        pledge.discussion = discussion
    pledge.indicators.clear()
    pledge.budget_lines.clear()
    pledge.milestones.clear()
    db.session.add(pledge)
    db.session.flush()
    pledge.indicators.extend(_indicator_rows(s["indicators"]))
    pledge.budget_lines.extend(
        BudgetLine(year=b["year"], source=b["source"], planned=b["planned"], executed=b["executed"])
        for b in s["budget"]
    )
    pledge.milestones.extend(
        Milestone(happened_on=m["date"], when_label=m["when"], title=m["title"], detail=m["detail"])
        for m in s["milestones"]
    )
    _apply_published(pledge, s["published"], actor_id)


def _apply_published(pledge: Pledge, entries: list[dict], actor_id: int | None) -> None:
    """The file's published figures become frozen snapshots; a period already published
    is left as it is (published figures never change), so importing twice is harmless."""
    if not entries:
        return
    db.session.flush()
    db.session.refresh(pledge)
    taken = {(s.year, s.period_kind, s.period_no) for s in pledge.snapshots}
    for entry in entries:
        key = (entry["year"], entry["period"], entry["no"])
        if key in taken:
            continue
        taken.add(key)
        period = Period(entry["period"], entry["year"], entry["no"], entry["as_of"])
        freeze_figures(pledge, period, entry["actuals"], entry["budget_executed"], actor_id)


def import_catalogue(text: str, fmt: str, actor_id: int | None = None) -> ImportReport:
    """Parse, check and apply a JSON or CSV catalogue; a report either way."""
    try:
        raw = parse_json(text) if fmt == "json" else parse_csv(text)
        counts = apply_catalogue(clean(raw), actor_id)
    except CatalogueError as error:
        return ImportReport(problems=error.problems)
    except csv.Error as error:  # a NUL byte, an over-long field, a broken quote
        return ImportReport(problems=[ImportProblem("파일", f"CSV 형식이 아닙니다 ({error}).")])
    return ImportReport(counts=counts)
