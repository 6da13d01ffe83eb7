"""Demo content of 주민참여예산: 실행사업 of two years and a 예산학교 course."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta

from sqlalchemy import select

from gwanak.budget.models import BudgetProject, ProjectUpdate, SchoolClass, SchoolCourse
from gwanak.budget.operations import register_for_class
from gwanak.core import clock
from gwanak.core.extensions import db
from gwanak.demo import demo_residents, demo_seeder, demo_user

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


@demo_seeder
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


@demo_seeder
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
