"""What 매니페스토 offers other sites: the 공약 이행률 widget (all pledges or one), the
pledge-update feed, the indicator dataset, pledge pages for the sitemap and search."""

from __future__ import annotations

from sqlalchemy import select

from gwanak.core.extensions import db
from gwanak.core.outward import (
    Dataset,
    DatasetField,
    Feed,
    FeedEntry,
    SearchHit,
    SearchProvider,
    SitemapEntry,
    Widget,
    WidgetChoice,
    once_per_request,
)
from gwanak.core.text_search import SearchTerm, search_branch, snippet
from gwanak.manifesto import queries
from gwanak.manifesto.models import Pledge, PledgeChange
from gwanak.manifesto.routes import MANIFESTO_OWNER


def pledge_path(code: str) -> str:
    return f"/manifesto/pledges/{code}"


# ---------------------------------------------------------------- widget


def _pledge_choices() -> list[tuple[str, str]]:
    rows = db.session.execute(select(Pledge.code, Pledge.title).order_by(Pledge.code))
    return [("", "모든 공약")] + [(code, f"{code} {title}") for code, title in rows]


def pledge_widget(choice: str, limit: int) -> tuple[str, dict]:
    """공약 이행률: one pledge's rolled-up rate with its indicators, or all pledges'
    overall rate with the count per status."""
    if choice:
        report = queries.pledge_page(choice)
        return "manifesto/widget.html", {
            "report": report,
            "path": pledge_path(report.pledge.code),
        }
    reports = queries.pledge_reports()
    return "manifesto/widget.html", {"summary": queries.progress(reports), "report": None}


WIDGET = Widget(
    "pledge-rates",
    "공약 이행률",
    "민선8기 공약의 이행률입니다. 모든 공약의 평균과 추진상황별 공약 수, 또는 공약 하나의 지표별 이행률을 보여 줍니다.",
    pledge_widget,
    choice=WidgetChoice("code", "공약", _pledge_choices),
)


# ---------------------------------------------------------------- feed


def pledge_update_entries(limit: int) -> list[FeedEntry]:
    """Staff updates of pledges (actuals, execution, status, milestones), newest first."""
    rows = db.session.execute(
        select(PledgeChange, Pledge.code, Pledge.title)
        .join(Pledge, Pledge.id == PledgeChange.pledge_id)
        .order_by(PledgeChange.created_at.desc(), PledgeChange.id.desc())
        .limit(limit)
    ).all()
    entries = []
    for change, code, title in rows:
        if change.before is not None:
            summary = f"{change.what}: {change.before} → {change.after or '-'}"
        else:
            summary = f"{change.what}: {change.after or '-'}"
        entries.append(
            FeedEntry(
                key=f"pledge-change/{change.id}",
                title=f"{code} {title}: {change.what}",
                path=pledge_path(code),
                updated=change.created_at,
                published=change.created_at,
                summary=summary,
                category=change.what,
            )
        )
    return entries


FEED = Feed(
    "manifesto-updates",
    "매니페스토: 공약 이행 소식",
    MANIFESTO_OWNER,
    pledge_update_entries,
    pages=("/manifesto/pledges", "/manifesto/progress"),
    group="매니페스토(공약)",
)


# ---------------------------------------------------------------- dataset

INDICATOR_FIELDS = (
    DatasetField("pledge_code", "공약 번호", "세부공약 번호 (예: 6-1-1)."),
    DatasetField("pledge_title", "공약명", "세부공약 이름."),
    DatasetField("department", "담당 부서", "공약을 맡은 부서."),
    DatasetField("status", "추진상황", "완료 · 이행 후 지속추진 · 정상추진 · 부진."),
    DatasetField("indicator_no", "지표 번호", "공약 안에서 지표의 순서.", "int"),
    DatasetField("indicator", "확인지표", "이행을 확인하는 지표."),
    DatasetField("unit", "단위", "목표와 실적의 단위."),
    DatasetField("weight", "비중(%)", "공약 이행률에서 이 지표가 차지하는 비중.", "int"),
    DatasetField("target", "목표", "임기 전체 목표.", "number"),
    DatasetField("actual", "실적", "지금까지의 실적 합계 (포털이 직접 세는 지표는 포털 수치).", "number"),
    DatasetField("rate", "지표 이행률(%)", "실적 ÷ 목표, 100을 넘지 않음, 소수 첫째 자리.", "number"),
    DatasetField("pledge_rate", "공약 이행률(%)", "지표 이행률을 비중으로 더한 값.", "number"),
    DatasetField("total_rate", "총 이행률(%)", "상위 공약 지표와 합산 규칙(예: 50:50)을 적용한 값.", "number"),
    DatasetField("published_as_of", "공표 기준일", "기획예산과가 최근 공표한 실적의 기준일 (없으면 빈칸).", "date"),
    DatasetField("published_rate", "공표 지표 이행률(%)", "최근 공표한 지표 이행률 (위 수치는 실시간 집계, 미확정).", "number"),
    DatasetField("published_total_rate", "공표 총 이행률(%)", "최근 공표한 총 이행률.", "number"),
    DatasetField("url", "주소", "공약 페이지 주소.", "url"),
)  # fmt: skip


def indicator_rows() -> list[dict]:
    rows = []
    for report in queries.pledge_reports():
        pledge = report.pledge
        snapshot = queries.latest_snapshot(pledge)
        published = {i.no: i for i in snapshot.indicators} if snapshot else {}
        for item in report.indicators:
            indicator = item.indicator
            frozen = published.get(indicator.no)
            rows.append(
                {
                    "pledge_code": pledge.code,
                    "pledge_title": pledge.title,
                    "department": pledge.department,
                    "status": pledge.status,
                    "indicator_no": indicator.no,
                    "indicator": indicator.name,
                    "unit": indicator.unit,
                    "weight": indicator.weight,
                    "target": indicator.target,
                    "actual": item.actual,
                    "rate": item.rate,
                    "pledge_rate": report.rate,
                    "total_rate": report.total_rate,
                    "published_as_of": snapshot.as_of if snapshot else None,
                    "published_rate": frozen.rate if frozen else None,
                    "published_total_rate": snapshot.total_rate if snapshot else None,
                    "url": pledge_path(pledge.code),
                }
            )
    return rows


def _indicators() -> list[dict]:
    return once_per_request("manifesto.indicator_rows", indicator_rows)


DATASET = Dataset(
    "pledge-indicators",
    "공약 이행 지표",
    "민선8기 세부공약별 확인지표의 목표, 실적, 이행률과 공약 이행률입니다.",
    MANIFESTO_OWNER,
    INDICATOR_FIELDS,
    lambda offset, limit: _indicators()[offset : offset + limit],
    lambda: len(_indicators()),
)


# ---------------------------------------------------------------- sitemap and search


def pledge_sitemap() -> list[SitemapEntry]:
    rows = db.session.execute(select(Pledge.code, Pledge.updated_at).order_by(Pledge.code))
    entries = []
    for code, updated in rows:
        entries.append(SitemapEntry(pledge_path(code), updated))
        entries.append(SitemapEntry(f"/manifesto/forum/{code}", updated))
    return entries


def _search(term: SearchTerm):
    return search_branch(
        "pledges",
        (term.contains(Pledge.title, Pledge.plan, Pledge.effects, Pledge.code),),
        (Pledge.code,),
        term.limit,
        id=Pledge.id,
        title=Pledge.title,
        body=Pledge.plan,
        ref=Pledge.code,
        at=Pledge.updated_at,
    )


def _hit(row, term: str) -> SearchHit:
    title = f"{row.ref} {row.title}"
    return SearchHit(title, pledge_path(row.ref), snippet(row.body, term), row.at)


SEARCH = SearchProvider("pledges", "공약", _search, _hit)
