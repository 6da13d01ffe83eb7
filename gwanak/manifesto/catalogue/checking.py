"""Checking every record of a parsed catalogue, each problem reported with where it is."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from gwanak.manifesto.catalogue.file_format import (
    CODE_RE,
    FORMAT,
    LIVE_KEY_RE,
    CatalogueError,
    ImportProblem,
)
from gwanak.manifesto.models import (
    ACTORS,
    BUDGET_SOURCES,
    COMPLETIONS,
    KINDS,
    PERIOD_KINDS,
    PERIOD_NUMBERS,
    STATUSES,
)


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

    def flag(self, item: dict, key: str, where: str, label: str) -> bool:
        value = item.get(key)
        if isinstance(value, bool):
            return value
        text = str(value if value is not None else "").strip().lower()
        if text in ("", "0", "false", "n", "아니오"):
            return False
        if text in ("1", "true", "y", "예"):
            return True
        self.fail(where, f"{label} '{value}'은(는) 예·아니오(1·0) 중 하나여야 합니다.")
        return False

    def published(self, raw: dict, where: str, indicator_nos: set[int]) -> list[dict]:
        """공표 entries: figures the coordinating department already published (frozen)."""
        out = []
        for n, item in enumerate(self.items(raw, "published", where), start=1):
            w = item.get("_where") or f"{where} 공표 {n}"
            kind = self.choice(item, "period", w, "공표 주기", tuple(PERIOD_KINDS))
            year = self.integer(item, "year", w, "공표 연도", low=2000, high=2100)
            number = self.integer(item, "no", w, "공표 차수", required=False, low=0, high=4) or 0
            if kind in PERIOD_NUMBERS and number not in PERIOD_NUMBERS[kind]:
                self.fail(w, f"공표 차수 {number}은(는) {PERIOD_KINDS[kind]} 공표에 맞지 않습니다.")
            day = self.text(item, "as_of", w, "기준일", 10)
            try:
                as_of = date.fromisoformat(day) if day else None
            except ValueError:
                self.fail(w, f"기준일 '{day}'은(는) YYYY-MM-DD 형식이어야 합니다.")
                as_of = None
            actuals_raw = item.get("actuals")
            if not isinstance(actuals_raw, dict):
                self.fail(w, '"actuals"는 {지표 번호: 실적} 객체여야 합니다.')
                actuals_raw = {}
            actuals = {}
            for key, value in actuals_raw.items():
                no = self.integer({"no": key}, "no", w, "지표 번호", low=1, high=99)
                if no is not None and no not in indicator_nos:
                    self.fail(w, f"공표 실적의 지표 {no}번이 이 세부공약에 없습니다.")
                actual = self.number({"v": value}, "v", w, f"지표 {key} 공표 실적")
                if no is not None and actual is not None:
                    actuals[no] = actual
            out.append(
                {
                    "period": kind,
                    "year": year,
                    "no": number,
                    "as_of": as_of,
                    "actuals": actuals,
                    "budget_executed": self.number(
                        item, "budget_executed", w, "공표 예산 집행액", required=False
                    )
                    or Decimal(0),
                }
            )
        return out

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
        indicators = self.indicators(raw, where)
        return {
            "code": code,
            "title": self.text(raw, "title", where, "공약명", 200),
            "illustrative": self.flag(raw, "illustrative", where, "예시 공약"),
            "published": self.published(raw, where, {i["no"] for i in indicators}),
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
            "indicators": indicators,
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
