"""Import and export of the whole pledge catalogue, as JSON and as CSV.

JSON is the catalogue nested as it reads (areas → goals → groups → pledges); CSV is the
same catalogue flattened for the district's spreadsheet, one record a row, its kind in
the `record` column (area, goal, group, pledge, indicator, figure, budget, milestone).

Both go the same way: parse → `clean` (every row checked, every problem reported with
where it is) → `apply_catalogue` in one transaction. A file with any problem changes
nothing. Import updates records by code and replaces each imported pledge's (and
group's) indicators, budget and milestones with the file's; pledges keep their ids, so
their history and comments survive an import.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from gwanak.core import clock
from gwanak.core.audit import record_audit
from gwanak.core.csv_safe import csv_text_from_dicts, restore_cell
from gwanak.core.extensions import db
from gwanak.manifesto.models import (
    ACTORS,
    BUDGET_SOURCES,
    COMPLETIONS,
    KINDS,
    STATUSES,
    BudgetLine,
    Indicator,
    IndicatorFigure,
    Milestone,
    Pledge,
    PledgeGroup,
    StrategyGoal,
    VisionArea,
)

FORMAT = "gwanak-manifesto/1"
CSV_COLUMNS = (
    "record",
    "code",
    "parent",
    "title",
    "department",
    "kind",
    "completion",
    "period_start",
    "period_end",
    "actor",
    "central_help",
    "status",
    "goals",
    "plan",
    "effects",
    "rollup_group",
    "rollup_pledges",
    "no",
    "name",
    "measure",
    "unit",
    "weight",
    "target",
    "live_source",
    "live_from",
    "year",
    "quarter",
    "source",
    "planned",
    "executed",
    "actual",
    "date",
    "when",
    "detail",
)
RECORDS = ("area", "goal", "group", "pledge", "indicator", "figure", "budget", "milestone")
CODE_RE = re.compile(r"^[0-9A-Za-z가-힣][0-9A-Za-z가-힣.\-_]{0,19}$")
LIVE_KEY_RE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")


@dataclass
class ImportProblem:
    where: str
    message: str


@dataclass
class ImportReport:
    problems: list[ImportProblem] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems


class CatalogueError(Exception):
    def __init__(self, problems: list[ImportProblem]):
        super().__init__("; ".join(f"{p.where}: {p.message}" for p in problems))
        self.problems = problems


# ---------------------------------------------------------------- parsing


# The catalogue is 8 levels deep at most (areas → goals → groups → pledges → indicators →
# figures, plus the objects around them); anything much deeper is not a catalogue.
MAX_JSON_DEPTH = 32


def _depth(value) -> int:
    """How deeply lists and objects nest, counted without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, level)
            if level > MAX_JSON_DEPTH:
                break
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, level + 1) for child in children)
    return deepest


def parse_json(text: str) -> dict:
    too_deep = CatalogueError(
        [ImportProblem("파일", f"JSON이 너무 깊게 중첩되어 있습니다 ({MAX_JSON_DEPTH}단계까지).")]
    )
    try:
        data = json.loads(text)
    except RecursionError:
        raise too_deep from None
    except ValueError as error:
        raise CatalogueError([ImportProblem("파일", f"JSON 형식이 아닙니다 ({error}).")]) from error
    if _depth(data) > MAX_JSON_DEPTH:
        raise too_deep
    if not isinstance(data, dict) or not isinstance(data.get("areas"), list):
        raise CatalogueError([ImportProblem("파일", '"areas" 목록이 있는 JSON 객체여야 합니다.')])
    return data


def parse_csv(text: str) -> dict:
    """Rebuild the nested catalogue from CSV rows; each record remembers its row number."""
    text = text.lstrip("\ufeff")
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [c for c in CSV_COLUMNS if c not in header]
    if missing:
        raise CatalogueError([ImportProblem("머리행", "없는 열: " + ", ".join(missing))])
    problems: list[ImportProblem] = []
    areas: list[dict] = []
    by_code: dict[str, dict[str, dict]] = {r: {} for r in ("area", "goal", "group", "pledge")}
    indicators: dict[tuple[str, str], dict] = {}
    pending: list[tuple[int, dict]] = []
    for number, raw in enumerate(reader, start=2):
        row = {k.strip(): restore_cell((v or "").strip()) for k, v in raw.items() if k}
        row["_where"] = f"{number}행"
        record = row["record"]
        if record not in RECORDS:
            problems.append(ImportProblem(row["_where"], f"알 수 없는 record '{record}'"))
            continue
        pending.append((number, row))

    def parent_of(row: dict, record: str, key: str = "parent") -> dict | None:
        found = by_code[record].get(row[key])
        if found is None:
            problems.append(ImportProblem(row["_where"], f"알 수 없는 코드 '{row[key]}'"))
        return found

    order = {r: i for i, r in enumerate(RECORDS)}
    for _, row in sorted(pending, key=lambda item: (order[item[1]["record"]], item[0])):
        record, where = row["record"], row["_where"]
        if record == "area":
            item = {"code": row["code"], "title": row["title"], "goals": [], "_where": where}
            areas.append(item)
        elif record == "goal":
            item = {"code": row["code"], "title": row["title"], "groups": [], "_where": where}
            if (parent := parent_of(row, "area")) is not None:
                parent["goals"].append(item)
        elif record == "group":
            item = {
                "code": row["code"],
                "title": row["title"],
                "rollup": {"group": row["rollup_group"], "pledges": row["rollup_pledges"]},
                "indicators": [],
                "pledges": [],
                "_where": where,
            }
            if (parent := parent_of(row, "goal")) is not None:
                parent["groups"].append(item)
        elif record == "pledge":
            item = {
                key: row[key]
                for key in (
                    "code title department kind completion actor central_help status plan effects"
                ).split()
            }
            item |= {
                "period": [row["period_start"], row["period_end"]],
                "goals": [g.strip() for g in row["goals"].split("\n") if g.strip()],
                "indicators": [],
                "budget": [],
                "milestones": [],
                "_where": where,
            }
            if (parent := parent_of(row, "group")) is not None:
                parent["pledges"].append(item)
        elif record == "indicator":
            item = {
                key: row[key]
                for key in "no name measure unit weight target live_source live_from".split()
            }
            item |= {"figures": [], "_where": where}
            owner = by_code["pledge"].get(row["code"]) or by_code["group"].get(row["code"])
            if owner is None:
                problems.append(ImportProblem(where, f"알 수 없는 코드 '{row['code']}'"))
            else:
                owner["indicators"].append(item)
                indicators[(row["code"], row["no"])] = item
        elif record == "figure":
            item = {k: row[k] for k in ("year", "quarter", "target", "actual")} | {"_where": where}
            owner = indicators.get((row["code"], row["no"]))
            if owner is None:
                problems.append(
                    ImportProblem(where, f"알 수 없는 지표 '{row['code']}' {row['no']}번")
                )
            else:
                owner["figures"].append(item)
        elif record == "budget":
            item = {k: row[k] for k in ("year", "source", "planned", "executed")}
            item["_where"] = where
            if (parent := parent_of(row, "pledge", "code")) is not None:
                parent["budget"].append(item)
        elif record == "milestone":
            item = {"date": row["date"], "when": row["when"], "title": row["title"]}
            item |= {"detail": row["detail"], "_where": where}
            if (parent := parent_of(row, "pledge", "code")) is not None:
                parent["milestones"].append(item)
        if record in by_code and row["code"] not in by_code[record]:
            by_code[record][row["code"]] = item
    if problems:
        raise CatalogueError(problems)
    return {"format": FORMAT, "areas": areas}


# ---------------------------------------------------------------- checking


class _Checker:
    def __init__(self) -> None:
        self.problems: list[ImportProblem] = []

    def fail(self, where: str, message: str) -> None:
        self.problems.append(ImportProblem(where, message))

    def text(self, item: dict, key: str, where: str, label: str, limit: int, required=True) -> str:
        value = item.get(key)
        if value is None:
            value = ""
        if not isinstance(value, str):
            value = str(value)
        value = value.strip()
        if required and not value:
            self.fail(where, f"{label}이(가) 비어 있습니다.")
        elif len(value) > limit:
            self.fail(where, f"{label}은(는) {limit}자 이하여야 합니다.")
        return value

    def code(self, item: dict, where: str, seen: set[str], label: str) -> str:
        value = self.text(item, "code", where, f"{label} 코드", 20)
        if value and not CODE_RE.match(value):
            self.fail(where, f"{label} 코드 '{value}'의 형식이 올바르지 않습니다.")
        elif value in seen:
            self.fail(where, f"{label} 코드 '{value}'이(가) 중복되었습니다.")
        seen.add(value)
        return value

    def number(self, item: dict, key: str, where: str, label: str, required=True) -> Decimal | None:
        value = item.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.fail(where, f"{label}이(가) 비어 있습니다.")
            return None
        if isinstance(value, bool):
            self.fail(where, f"{label} '{value}'은(는) 숫자가 아닙니다.")
            return None
        try:
            number = Decimal(str(value).strip().replace(",", ""))
        except InvalidOperation:
            self.fail(where, f"{label} '{value}'은(는) 숫자가 아닙니다.")
            return None
        if not number.is_finite():
            self.fail(where, f"{label} '{value}'은(는) 숫자가 아닙니다.")
            return None
        if number < 0:
            self.fail(where, f"{label}은(는) 음수일 수 없습니다 ({value}).")
            return None
        if number >= Decimal("1e11") or number != number.quantize(Decimal("0.001")):
            self.fail(where, f"{label} '{value}'은(는) 소수 셋째 자리까지만 쓸 수 있습니다.")
            return None
        return number

    def integer(
        self, item: dict, key: str, where: str, label: str, required=True, low=0, high=10**6
    ) -> int | None:
        number = self.number(item, key, where, label, required)
        if number is None:
            return None
        if number != number.to_integral_value() or not low <= number <= high:
            self.fail(where, f"{label} '{item.get(key)}'은(는) {low}~{high} 사이 정수여야 합니다.")
            return None
        return int(number)

    def choice(self, item: dict, key: str, where: str, label: str, choices) -> str:
        value = self.text(item, key, where, label, 40)
        if value and value not in choices:
            self.fail(where, f"{label} '{value}'은(는) {' · '.join(choices)} 중 하나여야 합니다.")
        return value

    def items(self, item: dict, key: str, where: str) -> list[dict]:
        value = item.get(key) or []
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            self.fail(where, f'"{key}"는 객체의 목록이어야 합니다.')
            return []
        return value

    def indicators(self, owner: dict, where: str) -> list[dict]:
        out = []
        seen: set[int] = set()
        for n, raw in enumerate(self.items(owner, "indicators", where), start=1):
            w = raw.get("_where") or f"{where} 지표 {n}"
            no = self.integer(raw, "no", w, "지표 번호", low=1, high=99)
            if no is not None and no in seen:
                self.fail(w, f"지표 번호 {no}이(가) 중복되었습니다.")
            seen.add(no or 0)
            live = self.text(raw, "live_source", w, "실시간 출처", 80, required=False)
            if live and not LIVE_KEY_RE.match(live):
                self.fail(w, f"실시간 출처 '{live}'의 형식이 올바르지 않습니다.")
            live_from = self.integer(
                raw, "live_from", w, "실시간 시작 연도", required=bool(live), low=2000, high=2100
            )
            figures = []
            periods: set[tuple[int, int]] = set()
            for m, fig in enumerate(self.items(raw, "figures", w), start=1):
                fw = fig.get("_where") or f"{w} 목표·실적 {m}"
                year = self.integer(fig, "year", fw, "연도", low=2000, high=2100)
                quarter = self.integer(fig, "quarter", fw, "분기", required=False, low=0, high=4)
                quarter = quarter or 0
                if (year, quarter) in periods:
                    self.fail(fw, f"{year}년 {quarter}분기 목표·실적이 중복되었습니다.")
                periods.add((year or 0, quarter))
                target = self.number(fig, "target", fw, "목표", required=False)
                actual = self.number(fig, "actual", fw, "실적", required=False)
                figures.append({"year": year, "quarter": quarter, "target": target})
                figures[-1]["actual"] = actual
            out.append(
                {
                    "no": no,
                    "name": self.text(raw, "name", w, "지표명", 200),
                    "measure": self.text(raw, "measure", w, "확인지표", 200, required=False),
                    "unit": self.text(raw, "unit", w, "단위", 20, required=False),
                    "weight": self.integer(raw, "weight", w, "가중치", high=100),
                    "target": self.number(raw, "target", w, "목표"),
                    "live_source": live or None,
                    "live_from": live_from if live else None,
                    "figures": figures,
                }
            )
        weights = [i["weight"] for i in out]
        if out and None not in weights and sum(weights) != 100:
            self.fail(where, f"지표 가중치의 합이 100이 아닙니다 ({sum(weights)}).")
        return out

    def pledge(self, raw: dict, where: str, seen: set[str]) -> dict:
        code = self.code(raw, where, seen, "세부공약")
        where = raw.get("_where") or f"세부공약 {code or where}"
        period = raw.get("period")
        if not isinstance(period, list) or len(period) != 2:
            self.fail(where, "사업기간은 [시작 연도, 끝 연도]여야 합니다.")
            period = [None, None]
        span = {"start": period[0], "end": period[1]}
        start = self.integer(span, "start", where, "사업기간 시작", low=2000, high=2100)
        end = self.integer(span, "end", where, "사업기간 끝", low=2000, high=2100)
        if start and end and start > end:
            self.fail(where, "사업기간의 시작이 끝보다 늦습니다.")
        goals = raw.get("goals") or []
        if not isinstance(goals, list) or not all(isinstance(g, str) for g in goals):
            self.fail(where, "정책목표는 문장의 목록이어야 합니다.")
            goals = []
        budget = []
        seen_budget: set[tuple] = set()
        for n, line in enumerate(self.items(raw, "budget", where), start=1):
            bw = line.get("_where") or f"{where} 예산 {n}"
            year = self.integer(line, "year", bw, "연도", low=2000, high=2100)
            source = self.choice(line, "source", bw, "재원", BUDGET_SOURCES)
            if (year, source) in seen_budget:
                self.fail(bw, f"{year}년 {source} 예산이 중복되었습니다.")
            seen_budget.add((year, source))
            budget.append(
                {
                    "year": year,
                    "source": source,
                    "planned": self.number(line, "planned", bw, "계획액", required=False)
                    or Decimal(0),
                    "executed": self.number(line, "executed", bw, "집행액", required=False),
                }
            )
        milestones = []
        for n, step in enumerate(self.items(raw, "milestones", where), start=1):
            mw = step.get("_where") or f"{where} 추진실적 {n}"
            day = self.text(step, "date", mw, "일자", 10)
            try:
                parsed = date.fromisoformat(day) if day else None
            except ValueError:
                self.fail(mw, f"일자 '{day}'은(는) YYYY-MM-DD 형식이어야 합니다.")
                parsed = None
            milestones.append(
                {
                    "date": parsed,
                    "when": self.text(step, "when", mw, "표시 일자", 40, required=False),
                    "title": self.text(step, "title", mw, "추진사항", 200),
                    "detail": self.text(step, "detail", mw, "세부내용", 4000, required=False),
                }
            )
        return {
            "code": code,
            "title": self.text(raw, "title", where, "공약명", 200),
            "department": self.text(raw, "department", where, "담당부서", 40),
            "kind": self.choice(raw, "kind", where, "사업성격", KINDS),
            "completion": self.choice(raw, "completion", where, "완료시기", COMPLETIONS),
            "period": [start, end],
            "actor": self.choice(raw, "actor", where, "사업주체", ACTORS),
            "central_help": self.text(raw, "central_help", where, "중앙정부 도움필요성", 40),
            "status": self.choice(raw, "status", where, "추진상황", STATUSES),
            "goals": [g.strip() for g in goals if g.strip()],
            "plan": self.text(raw, "plan", where, "추진계획", 20000, required=False),
            "effects": self.text(raw, "effects", where, "기대효과", 20000, required=False),
            "indicators": self.indicators(raw, where),
            "budget": budget,
            "milestones": milestones,
        }


def clean(data: dict) -> dict:
    """Check every record; return the typed catalogue or raise CatalogueError with all problems."""
    check = _Checker()
    seen: dict[str, set[str]] = {r: set() for r in ("area", "goal", "group", "pledge")}
    areas = []
    for a, area in enumerate(check.items(data, "areas", "파일"), start=1):
        where = area.get("_where") or f"분야 {a}"
        goals = []
        for g, goal in enumerate(check.items(area, "goals", where), start=1):
            gwhere = goal.get("_where") or f"{where} 전략목표 {g}"
            groups = []
            for p, group in enumerate(check.items(goal, "groups", gwhere), start=1):
                pwhere = group.get("_where") or f"{gwhere} 공약 {p}"
                code = check.code(group, pwhere, seen["group"], "공약")
                rollup = group.get("rollup") or {"group": 0, "pledges": 100}
                if not isinstance(rollup, dict):
                    check.fail(pwhere, "합산 비율은 {group, pledges} 객체여야 합니다.")
                    rollup = {}
                share_group = check.integer(rollup, "group", pwhere, "공약 비중", high=100)
                share_pledges = check.integer(rollup, "pledges", pwhere, "세부공약 비중", high=100)
                if share_group is not None and share_pledges is not None:
                    if share_group + share_pledges != 100:
                        check.fail(pwhere, "공약과 세부공약 비중의 합이 100이 아닙니다.")
                label = group.get("_where") or f"공약 {code}"
                groups.append(
                    {
                        "code": code,
                        "title": check.text(group, "title", pwhere, "공약명", 200),
                        "rollup": {"group": share_group, "pledges": share_pledges},
                        "indicators": check.indicators(group, label),
                        "pledges": [
                            check.pledge(raw, f"{label} 세부공약 {n}", seen["pledge"])
                            for n, raw in enumerate(check.items(group, "pledges", pwhere), 1)
                        ],
                    }
                )
            goals.append(
                {
                    "code": check.code(goal, gwhere, seen["goal"], "전략목표"),
                    "title": check.text(goal, "title", gwhere, "전략목표명", 200),
                    "groups": groups,
                }
            )
        areas.append(
            {
                "code": check.code(area, where, seen["area"], "분야"),
                "title": check.text(area, "title", where, "분야명", 200),
                "goals": goals,
            }
        )
    if check.problems:
        raise CatalogueError(check.problems)
    return {"format": FORMAT, "areas": areas}


# ---------------------------------------------------------------- applying


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
                        _apply_pledge(pledges.get(s["code"]), group, s, s_pos)
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


def _apply_pledge(pledge: Pledge | None, group: PledgeGroup, s: dict, position: int) -> None:
    from gwanak.manifesto.forum import open_pledge_discussion

    discussion = None
    if pledge is None or pledge.discussion_id is None:
        # Opened first: it flushes, and a half-built pledge must not be flushed with it.
        discussion = open_pledge_discussion(s["department"])
    pledge = pledge or Pledge(code=s["code"])
    pledge.group, pledge.position = group, position
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


# ---------------------------------------------------------------- exporting


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
