"""Demo content of 주민참여예산: 실행사업 of two years and a 예산학교 course."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta

from sqlalchemy import select

from gwanak.accounts.demo import demo_residents, demo_user
from gwanak.budget.models import (
    BudgetProject,
    BudgetRound,
    Phase,
    ProjectUpdate,
    SchoolClass,
    SchoolCourse,
)
from gwanak.budget.operations import register_for_class
from gwanak.budget.proposal_operations import assign_reviewer, cast_vote, move_phase, propose
from gwanak.core import clock
from gwanak.core.extensions import db

DEMO_PROJECTS = [
    # year, title, dong, department, budget, spent, progress, state
    (
        2024,
        "보라매공원 산책로 야간 조명 개선",
        "boramae",
        "공원녹지과",
        48_000_000,
        48_000_000,
        100,
        "done",
    ),
    (
        2024,
        "신림동 골목길 안심 반사경 설치",
        "sillim",
        "교통행정과",
        22_000_000,
        21_500_000,
        100,
        "done",
    ),
    (
        2024,
        "낙성대동 어르신 디지털 교실",
        "nakseongdae",
        "어르신복지과",
        15_000_000,
        9_000_000,
        70,
        "carried_over",
    ),
    (
        2025,
        "청림동 어린이 통학로 안전 펜스",
        "cheongnim",
        "교통행정과",
        35_000_000,
        14_000_000,
        45,
        "ongoing",
    ),
    (2025, "도림천 생태 쉼터 조성", None, "치수과", 80_000_000, 20_000_000, 25, "ongoing"),
    (
        2025,
        "인헌동 마을 작은도서관 책 나눔",
        "inheon",
        "교육협력과",
        12_000_000,
        12_000_000,
        100,
        "done",
    ),
]


def seed_budget_projects() -> Iterator[str]:
    if db.session.scalar(select(BudgetProject.id).limit(1)) is not None:
        return
    staff = demo_user("autonomy")
    for year, title, dong, dept, budget, spent, progress, state in DEMO_PROJECTS:
        project = BudgetProject(
            year=year,
            title=title,
            summary=f"{year}년 주민참여예산 주민 투표로 선정된 사업입니다.",
            dong=dong,
            department=dept,
            budget=budget,
            spent=spent,
            progress=progress,
            state=state,
        )
        db.session.add(project)
        db.session.flush()
        db.session.add(
            ProjectUpdate(
                project_id=project.id,
                posted_on=date(year, 3, 15),
                body="사업 계획을 확정하고 설계를 시작했습니다.",
                author_id=staff.id if staff else None,
            )
        )
        if progress >= 50:
            db.session.add(
                ProjectUpdate(
                    project_id=project.id,
                    posted_on=date(year, 7, 1),
                    body="공사(사업)를 시작했습니다.",
                    author_id=staff.id if staff else None,
                )
            )
    db.session.commit()
    yield f"실행사업 {len(DEMO_PROJECTS)}건을 만들었습니다."


def seed_budget_school() -> Iterator[str]:
    if db.session.scalar(select(SchoolCourse.id).limit(1)) is not None:
        return
    course = SchoolCourse(
        title="주민참여예산 기초 과정",
        description="예산이 어떻게 만들어지는지, 좋은 사업 제안은 어떻게 쓰는지 함께 배웁니다.",
    )
    db.session.add(course)
    db.session.flush()
    base = datetime.combine(clock.today() + timedelta(days=7), datetime.min.time())
    places = ("관악구청 8층 대강당", "관악구청 8층 대강당", "관악구 평생학습관 2층")
    classes = []
    for n, place in enumerate(places, start=1):
        # 19:00 KST is 10:00 UTC
        school_class = SchoolClass(
            course_id=course.id,
            number=n,
            starts_at=base + timedelta(days=7 * (n - 1), hours=10),
            place=place,
            capacity=3 if n == 1 else 30,
        )
        db.session.add(school_class)
        classes.append(school_class)
    db.session.commit()
    for resident in demo_residents()[:4]:  # the first class fills up: one waits
        register_for_class(classes[0].id, resident)
    yield "예산학교 과정 1개(3회차)를 만들었습니다."


DEMO_BUDGET_PROPOSALS = [
    # title, field, dong, place, cost, final phase
    ("보라매공원 어린이 놀이터 그늘막", "안전", "boramae", "보라매공원 동문 놀이터", 30_000_000, Phase.SUBMITTED),
    ("신림동 골목 CCTV 안내판 정비", "안전", "sillim", "신림동 주택가 골목", 18_000_000, Phase.REVIEW),
    ("청룡동 경로당 운동기구 교체", "복지", "cheongnyong", "청룡동 경로당", 12_000_000, Phase.DELIBERATION),
    ("도림천 자전거 쉼터 조성", "교통", None, "도림천 산책로", 45_000_000, Phase.VOTING),
    ("인헌동 마을 정원 가꾸기", "환경", "inheon", "인헌동 공원", 20_000_000, Phase.VOTING),
    ("관악산 입구 대형 주차장 신설", "교통", "daehak", "관악산 입구", 450_000_000, Phase.NOT_SELECTED),
]  # fmt: skip


# 사업부서 that 자치행정과 hands a proposal's 부서 검토 to: (부서, 사유, the demo account
# that ends the review, or None for 자치행정과).
REVIEWERS = {
    "신림동 골목 CCTV 안내판 정비": ("안전재난과", "방범 CCTV와 안내판은 안전재난과가 관리합니다.", None),
    "청룡동 경로당 운동기구 교체": ("어르신복지과", "경로당 시설 지원은 어르신복지과 사업입니다.", "seniors"),
    "도림천 자전거 쉼터 조성": ("치수과", "하천 구역 안 시설은 치수과 검토가 필요합니다.", None),
}  # fmt: skip


def seed_budget_proposals() -> Iterator[str]:
    """A round whose 제안 접수 is open today, with proposals in each phase."""
    if db.session.scalar(select(BudgetRound.id).limit(1)) is not None:
        return
    residents = demo_residents()
    staff = demo_user("autonomy")
    if not residents or staff is None:
        return
    today = clock.today()
    budget_round = BudgetRound(
        year=today.year + 1,
        proposal_starts=today - timedelta(days=10),
        proposal_ends=today + timedelta(days=20),
        review_ends=today + timedelta(days=40),
        deliberation_ends=today + timedelta(days=55),
        vote_starts=today + timedelta(days=56),
        vote_ends=today + timedelta(days=66),
    )
    db.session.add(budget_round)
    db.session.commit()
    for n, (title, field, dong, place, cost, phase) in enumerate(DEMO_BUDGET_PROPOSALS):
        extra = propose(
            budget_round, residents[n % len(residents)], title=title,
            body=f"{place}에 필요한 사업입니다. 주민들이 오래 바라 왔습니다.",
            category=field, dong=dong, place=place, estimated_cost=cost,
        )  # fmt: skip
        path = {
            Phase.SUBMITTED: [],
            Phase.REVIEW: [(Phase.REVIEW, None)],
            Phase.DELIBERATION: [(Phase.REVIEW, None), (Phase.DELIBERATION, "사업 가능")],
            Phase.VOTING: [
                (Phase.REVIEW, None), (Phase.DELIBERATION, "사업 가능"), (Phase.VOTING, None),
            ],
            Phase.NOT_SELECTED: [
                (Phase.REVIEW, None),
                (Phase.NOT_SELECTED, "주민참여예산 한도를 넘는 대규모 시설 사업입니다."),
            ],
        }[phase]  # fmt: skip
        reviewer = None
        for to, note in path:
            move_phase(
                extra, to, reviewer if to == Phase.DELIBERATION and reviewer else staff, note=note
            )
            if to == Phase.REVIEW and title in REVIEWERS:
                department, reason, local = REVIEWERS[title]
                assign_reviewer(extra, staff, department, reason)
                reviewer = demo_user(local) if local else None
    yield f"주민참여예산 {budget_round.year}년도 차수와 사업 제안 {len(DEMO_BUDGET_PROPOSALS)}건을 만들었습니다."
    yield from _seed_closed_round(residents, staff)


def _seed_closed_round(residents, staff) -> Iterator[str]:
    """Last year's round, voted and closed: one project 선정 (now a 실행사업), one 미선정."""
    today = clock.today()
    start = today - timedelta(days=120)
    closed = BudgetRound(
        year=today.year,
        proposal_starts=start,
        proposal_ends=start + timedelta(days=20),
        review_ends=start + timedelta(days=40),
        deliberation_ends=start + timedelta(days=55),
        vote_starts=start + timedelta(days=56),
        vote_ends=start + timedelta(days=66),
    )
    db.session.add(closed)
    db.session.commit()

    def at(day_offset: int) -> datetime:
        return datetime.combine(
            start + timedelta(days=day_offset), datetime.min.time()
        ) + timedelta(hours=3)

    entries = [
        ("은천동 골목 LED 보안등 교체", "안전", "euncheon", "은천동 주택가", 26_000_000, 6),
        ("중앙동 공원 반려견 쉼터", "환경", "jungang", "중앙동 근린공원", 15_000_000, 2),
    ]
    made = []
    for n, (title, field, dong, place, cost, _votes) in enumerate(entries):
        with clock.frozen(at(1)):
            extra = propose(
                closed, residents[(n + 2) % len(residents)], title=title,
                body=f"{place}에 꼭 필요한 사업입니다.", category=field, dong=dong,
                place=place, estimated_cost=cost,
            )  # fmt: skip
        with clock.frozen(at(25)):
            move_phase(extra, Phase.REVIEW, staff)
            move_phase(extra, Phase.DELIBERATION, staff, note="사업 가능")
            move_phase(extra, Phase.VOTING, staff)
        made.append(extra)
    with clock.frozen(at(58)):
        for extra, (*_, votes) in zip(made, entries, strict=True):
            for voter in residents[:votes]:
                cast_vote(extra, voter)
    with clock.frozen(at(70)):
        move_phase(made[0], Phase.SELECTED, staff)
        move_phase(made[1], Phase.NOT_SELECTED, staff)
    yield f"주민참여예산 {closed.year}년도 차수(투표 마감, 선정 1건)를 만들었습니다."
