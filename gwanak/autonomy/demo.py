"""Demo content for 주민자치회: members and programmes for all 21 동 and notices on a few
동 boards. Idempotent: each part is skipped when it already exists."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from sqlalchemy import select

from gwanak.accounts.demo import demo_user
from gwanak.autonomy import operations as autonomy_ops
from gwanak.autonomy.models import DongMember
from gwanak.core import clock
from gwanak.core.extensions import db
from gwanak.core.menus import dongs
from gwanak.notices import operations as notice_ops
from gwanak.notices.boards import dong_notice_board
from gwanak.notices.models import Notice

DONG_NOTICES = {
    "boramae": ["보라매동 주민총회 개최 안내", "주민자치 프로그램 수강생 모집"],
    "sillim": ["신림동 마을축제 자원봉사자 모집"],
    "nakseongdae": ["낙성대동 주민자치회 월례회의 안내"],
    "daehak": ["대학동 골목 환경 정비의 날"],
}

ROLES = ("회장", "부회장", "간사", "자치분과장", "위원")

SURNAMES = "김이박최정강조윤장임한오서신권황안송류홍"

GIVEN = ("민수", "영희", "정호", "수진", "성민", "지영", "현우", "미경", "동훈", "은정", "상철")

PROGRAMMES = [
    ("어르신 건강 체조 교실", "매주 화·목 10:00", "주민센터 2층 강당",
     "어르신 누구나 참여하는 생활 체조입니다."),
    ("마을 환경 가꾸기", "매월 셋째 토요일 09:00", "동네 골목 일대",
     "주민이 함께 골목을 청소하고 꽃을 심습니다."),
    ("주민총회", "매년 10월", "주민센터 대회의실", "다음 해 마을 계획을 주민이 함께 정합니다."),
]  # fmt: skip


def seed_autonomy() -> Iterator[str]:
    autonomy = demo_user("autonomy")
    staff_id = autonomy.id if autonomy else None
    done = []
    if db.session.scalar(select(Notice.id).where(Notice.board.like("dong:%")).limit(1)) is None:
        start = clock.now() - timedelta(days=30)
        for slug, titles in DONG_NOTICES.items():
            for index, title in enumerate(titles):
                with clock.frozen(start + timedelta(days=10 + index * 5)):
                    notice_ops.create_notice(
                        dong_notice_board(slug), staff_id, title=title,
                        body_md=f"{title}. 자세한 내용은 주민센터로 문의하세요.",
                    )  # fmt: skip
        done.append("동 공지")
    if db.session.scalar(select(DongMember.id).limit(1)) is None:
        for d_index, the_dong in enumerate(dongs()):
            for r_index, role in enumerate(ROLES):
                n = d_index * len(ROLES) + r_index
                name = SURNAMES[n % len(SURNAMES)] + GIVEN[(n * 7) % len(GIVEN)]
                autonomy_ops.save_member(
                    None, the_dong.slug, staff_id, name=name, role=role, position=r_index
                )
            for p_index, (title, schedule, place, description) in enumerate(PROGRAMMES):
                autonomy_ops.save_programme(
                    None, the_dong.slug, staff_id, title=title, schedule=schedule,
                    place=place.replace("주민센터", the_dong.office_name),
                    description=description, position=p_index,
                )  # fmt: skip
        done.append("21개동 위원·프로그램")
    if done:
        yield f"주민자치회 데모 데이터를 만들었습니다: {', '.join(done)}."
