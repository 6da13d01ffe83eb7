"""The whole catalogue out, as the nested JSON import reads and as flat CSV rows."""

from __future__ import annotations

import json
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from gwanak.core.csv_safe import csv_text_from_dicts
from gwanak.core.extensions import db
from gwanak.manifesto.catalogue.file_format import (
    CSV_COLUMNS,
    FORMAT,
)
from gwanak.manifesto.models import (
    Indicator,
    Pledge,
    PledgeGroup,
    StrategyGoal,
    VisionArea,
)


def _num(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _indicators_out(indicators) -> list[dict]:
    return [
        {
            "no": i.no,
            "name": i.name,
            "measure": i.measure,
            "unit": i.unit,
            "weight": i.weight,
            "target": _num(i.target),
            "live_source": i.live_source,
            "live_from": i.live_from,
            "figures": [
                {
                    "year": f.year,
                    "quarter": f.quarter,
                    "target": _num(f.target),
                    "actual": _num(f.actual),
                }
                for f in i.figures
            ],
        }
        for i in indicators
    ]


def export_catalogue() -> dict:
    """The whole catalogue as the nested structure JSON import reads."""
    with_indicators = selectinload(Indicator.figures)
    areas = db.session.scalars(
        select(VisionArea)
        .order_by(VisionArea.position, VisionArea.code)
        .options(
            selectinload(VisionArea.goals)
            .selectinload(StrategyGoal.groups)
            .options(
                selectinload(PledgeGroup.indicators).options(with_indicators),
                selectinload(PledgeGroup.pledges).options(
                    selectinload(Pledge.indicators).options(with_indicators),
                    selectinload(Pledge.budget_lines),
                    selectinload(Pledge.milestones),
                ),
            )
        )
    ).all()
    return {
        "format": FORMAT,
        "areas": [
            {
                "code": a.code,
                "title": a.title,
                "goals": [
                    {
                        "code": g.code,
                        "title": g.title,
                        "groups": [_group_out(p) for p in g.groups],
                    }
                    for g in a.goals
                ],
            }
            for a in areas
        ],
    }


def _group_out(group: PledgeGroup) -> dict:
    return {
        "code": group.code,
        "title": group.title,
        "rollup": {"group": group.rollup_group, "pledges": group.rollup_pledges},
        "indicators": _indicators_out(group.indicators),
        "pledges": [
            {
                "code": s.code,
                "title": s.title,
                "illustrative": s.illustrative,
                "department": s.department,
                "kind": s.kind,
                "completion": s.completion,
                "period": [s.period_start, s.period_end],
                "actor": s.actor,
                "central_help": s.central_help,
                "status": s.status,
                "goals": list(s.goals or []),
                "plan": s.plan,
                "effects": s.effects,
                "indicators": _indicators_out(s.indicators),
                "budget": [
                    {
                        "year": b.year,
                        "source": b.source,
                        "planned": _num(b.planned),
                        "executed": _num(b.executed),
                    }
                    for b in s.budget_lines
                ],
                "milestones": [
                    {
                        "date": m.happened_on.isoformat(),
                        "when": m.when_label,
                        "title": m.title,
                        "detail": m.detail,
                    }
                    for m in s.milestones
                ],
            }
            for s in group.pledges
        ],
    }


def to_json(catalogue: dict) -> str:
    return json.dumps(catalogue, ensure_ascii=False, indent=1)


def to_csv(catalogue: dict) -> str:
    """The catalogue as CSV (with a BOM, every cell safe from spreadsheet formulas)."""
    records: list[dict] = []

    def put(**values) -> None:
        records.append(values)

    def put_indicators(code: str, indicators: list[dict]) -> None:
        for i in indicators:
            put(
                record="indicator",
                code=code,
                **{k: i[k] for k in "no name measure unit weight target".split()},
                live_source=i["live_source"],
                live_from=i["live_from"],
            )
            for f in i["figures"]:
                put(record="figure", code=code, no=i["no"], **f)

    for a in catalogue["areas"]:
        put(record="area", code=a["code"], title=a["title"])
        for g in a["goals"]:
            put(record="goal", code=g["code"], parent=a["code"], title=g["title"])
            for p in g["groups"]:
                put(
                    record="group",
                    code=p["code"],
                    parent=g["code"],
                    title=p["title"],
                    rollup_group=p["rollup"]["group"],
                    rollup_pledges=p["rollup"]["pledges"],
                )
                put_indicators(p["code"], p["indicators"])
                for s in p["pledges"]:
                    put(
                        record="pledge",
                        parent=p["code"],
                        **{
                            k: s[k]
                            for k in (
                                "code title department kind completion actor central_help "
                                "status plan effects"
                            ).split()
                        },
                        period_start=s["period"][0],
                        period_end=s["period"][1],
                        goals="\n".join(s["goals"]),
                        illustrative=1 if s.get("illustrative") else 0,
                    )
                    put_indicators(s["code"], s["indicators"])
                    for b in s["budget"]:
                        put(record="budget", code=s["code"], **b)
                    for m in s["milestones"]:
                        put(
                            record="milestone",
                            code=s["code"],
                            date=m["date"],
                            when=m["when"],
                            title=m["title"],
                            detail=m["detail"],
                        )
    return csv_text_from_dicts(CSV_COLUMNS, records)
