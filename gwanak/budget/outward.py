"""What 주민참여예산 offers other sites: the current-step widget, the 실행사업 dataset,
project pages for the sitemap and project search."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import String, cast, func, select

from gwanak.budget.models import OWNER_DEPARTMENT, PROJECT_STATE_LABELS, BudgetProject, ProjectState
from gwanak.budget.proposal_operations import current_round
from gwanak.core import clock
from gwanak.core.extensions import db
from gwanak.core.menus import dong_names
from gwanak.core.outward import (
    Dataset,
    DatasetField,
    SearchHit,
    SearchProvider,
    SitemapEntry,
    Widget,
)
from gwanak.core.text_search import SearchTerm, search_branch, snippet


def project_path(project_id: int) -> str:
    return f"/budget/projects/{project_id}"


# ---------------------------------------------------------------- widget


@dataclass
class Step:
    label: str
    starts: date
    ends: date
    current: bool = False


def round_steps(budget_round, today: date) -> list[Step]:
    """The round's steps with their dates (each starts the day after the one before,
    the vote on its own date); the step containing today is current."""
    day = timedelta(days=1)
    steps = [
        Step("사업 제안 접수", budget_round.proposal_starts, budget_round.proposal_ends),
        Step("부서 검토", budget_round.proposal_ends + day, budget_round.review_ends),
        Step("분과 심의", budget_round.review_ends + day, budget_round.deliberation_ends),
        Step("주민 투표", budget_round.vote_starts, budget_round.vote_ends),
    ]
    for step in steps:
        step.current = step.starts <= today <= step.ends
    return steps


def phase_widget(choice: str, limit: int) -> tuple[str, dict]:
    """주민참여예산 현재 단계: this round, its steps with dates, where it stands today."""
    budget_round = current_round()
    today = clock.today()
    steps = round_steps(budget_round, today) if budget_round else []
    current = next((s for s in steps if s.current), None)
    if budget_round is None:
        status = None
    elif current is not None:
        status = f"지금은 {current.label} 단계입니다 ({current.ends}까지)."
    elif today < budget_round.proposal_starts:
        status = f"사업 제안 접수가 {budget_round.proposal_starts}에 시작합니다."
    elif today > budget_round.vote_ends:
        status = "주민 투표가 끝났습니다. 선정된 사업은 실행사업 현황에서 볼 수 있습니다."
    else:
        status = "다음 단계를 준비하고 있습니다."
    return "budget/widget_phase.html", {
        "round": budget_round,
        "steps": steps,
        "status": status,
    }


WIDGET = Widget(
    "budget-phase",
    "주민참여예산 현재 단계",
    "올해 주민참여예산이 어느 단계(사업 제안 접수 · 부서 검토 · 분과 심의 · 주민 투표)에 있는지와 단계별 날짜입니다.",
    phase_widget,
)


# ---------------------------------------------------------------- dataset

PROJECT_FIELDS = (
    DatasetField("id", "번호", "사업 번호.", "int"),
    DatasetField("year", "연도", "사업을 하는 해.", "int"),
    DatasetField("title", "사업명", "실행사업 이름."),
    DatasetField("summary", "사업 내용", "사업 요약."),
    DatasetField("dong", "동", "사업을 하는 동 (빈 칸은 구 전체)."),
    DatasetField("department", "사업 부서", "사업을 맡아 하는 부서."),
    DatasetField("budget", "예산(원)", "편성된 예산.", "int"),
    DatasetField("spent", "집행액(원)", "지금까지 쓴 돈.", "int"),
    DatasetField("progress", "추진률(%)", "부서가 입력한 추진률.", "int"),
    DatasetField("state", "상태", "추진중 · 완료 · 이월."),
    DatasetField("updated_at", "최종 수정 일시", "사업 정보를 마지막으로 고친 때.", "datetime"),
    DatasetField("url", "주소", "사업 페이지 주소.", "url"),
)


def _project_rows(offset: int, limit: int) -> list[dict]:
    names = dong_names()
    projects = db.session.scalars(
        select(BudgetProject)
        .order_by(BudgetProject.year.desc(), BudgetProject.id)
        .limit(limit)
        .offset(offset)
    ).all()
    return [
        {
            "id": p.id,
            "year": p.year,
            "title": p.title,
            "summary": p.summary,
            "dong": names.get(p.dong or "", ""),
            "department": p.department,
            "budget": p.budget,
            "spent": p.spent,
            "progress": p.progress,
            "state": PROJECT_STATE_LABELS[ProjectState(p.state)],
            "updated_at": p.updated_at,
            "url": project_path(p.id),
        }
        for p in projects
    ]


DATASET = Dataset(
    "budget-projects",
    "주민참여예산 실행사업",
    "주민참여예산으로 선정되어 추진하는 사업의 연도, 예산, 집행액, 추진률과 상태입니다.",
    OWNER_DEPARTMENT,
    PROJECT_FIELDS,
    _project_rows,
    lambda: db.session.scalar(select(func.count(BudgetProject.id))) or 0,
)


# ---------------------------------------------------------------- sitemap and search


def project_sitemap() -> list[SitemapEntry]:
    rows = db.session.execute(
        select(BudgetProject.id, BudgetProject.updated_at).order_by(BudgetProject.id)
    )
    return [SitemapEntry(project_path(i), updated) for i, updated in rows]


def _search(term: SearchTerm):
    return search_branch(
        "budget-projects",
        (term.contains(BudgetProject.title, BudgetProject.summary),),
        (BudgetProject.year.desc(), BudgetProject.id.desc()),
        term.limit,
        id=BudgetProject.id,
        title=BudgetProject.title,
        body=BudgetProject.summary,
        ref=cast(BudgetProject.year, String),  # the title shows the year
        at=BudgetProject.updated_at,
    )


def _hit(row, term: str) -> SearchHit:
    title = f"{row.ref}년 {row.title}"
    return SearchHit(title, project_path(row.id), snippet(row.body, term), row.at)


SEARCH = SearchProvider("budget-projects", "주민참여예산 실행사업", _search, _hit)
