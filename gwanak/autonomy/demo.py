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
from gwanak.core.workdays import long_date, working_day_before
from gwanak.notices import operations as notice_ops
from gwanak.notices.boards import dong_notice_board
from gwanak.notices.models import Notice
from gwanak.participation.demo_threads import demo_views, kst_moment

# 동 notices: (동, title, posted this many days ago, the day it announces this many days
# after posting, body with {when} for that day). Posted on working days in office hours.
DONG_NOTICES = (
    ("boramae", "보라매동 주민총회 개최 안내", 24, 16,
     "보라매동 주민자치회가 내년 마을 계획을 정하는 주민총회를 엽니다.\n\n"
     "- 일시: {when} 오후 2시\n- 장소: 보라매동 주민센터 3층 강당\n"
     "- 안건: 내년 자치계획, 주민참여예산 동 단위 사업 투표\n\n"
     "보라매동 주민이면 누구나 참석해 투표할 수 있습니다. 신분증을 가져오세요."),
    ("boramae", "주민자치 프로그램 겨울학기 수강생 모집", 9, 12,
     "겨울학기 요가, 캘리그라피, 어르신 스마트폰 교실 수강생을 모집합니다.\n\n"
     "- 접수: 주민센터 2층 자치회관 사무실 (평일 9시~18시)\n- 개강: {when}\n\n"
     "과목별 정원이 차면 대기 접수를 받습니다."),
    ("sillim", "신림동 별빛 마을축제 자원봉사자 모집", 33, 20,
     "별빛내린천 일대에서 열리는 마을축제를 함께 준비할 자원봉사자를 찾습니다.\n\n"
     "- 축제일: {when}\n- 활동: 부스 안내, 어린이 체험 보조, 행사 뒤 정리\n"
     "- 신청: 신림동 주민센터 방문 또는 전화\n\n청소년은 봉사시간을 인정받을 수 있습니다."),
    ("nakseongdae", "낙성대동 주민자치회 정기회의 안내", 6, 13,
     "정기회의를 아래와 같이 엽니다. 주민 누구나 방청할 수 있습니다.\n\n"
     "- 일시: {when} 오후 7시\n- 장소: 낙성대동 주민센터 2층 회의실\n"
     "- 안건: 낙성대공원 겨울 프로그램, 내년 분과 구성"),
    ("daehak", "대학동 골목 대청소의 날", 15, 9,
     "고시촌 골목 구석구석을 주민과 함께 치웁니다. 집게와 봉투, 장갑은 주민센터에서 "
     "나눠 드립니다.\n\n- 일시: {when} 오전 9시 (두 시간 정도)\n"
     "- 모이는 곳: 대학동 주민센터 앞\n\n비가 오면 다음 주 같은 요일로 미룹니다."),
)  # fmt: skip

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
        for n, (slug, title, age, ahead, body) in enumerate(DONG_NOTICES):
            posted_on = working_day_before(clock.today() - timedelta(days=age))
            when = long_date(posted_on + timedelta(days=ahead))
            moment = kst_moment(posted_on, ("09:40", "11:15", "15:20")[n % 3])
            with clock.frozen(moment):
                notice = notice_ops.create_notice(
                    dong_notice_board(slug), staff_id, title=title,
                    body_md=body.format(when=when),
                )  # fmt: skip
            notice.views = demo_views(moment, title)
            db.session.commit()
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
