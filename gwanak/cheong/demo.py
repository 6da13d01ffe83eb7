"""Demo data for 관악청: applications in every state, two published meeting records,
and the visit baseline from the card (400,226 visits as of 2023-12-18)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select

from gwanak.accounts.demo import demo_residents, demo_user
from gwanak.cheong import operations as ops
from gwanak.cheong.models import DateApplication
from gwanak.core import clock
from gwanak.core.extensions import db
from gwanak.core.settings import Setting, set_setting
from gwanak.core.workdays import is_working_day

CARD_VISITS = 400_226  # the card's count of visits before this system, as of 2023-12-18

TOPICS = [
    ("보라매공원 산책로 밤길 조명", "밤에 산책로가 어두워 어르신들이 넘어질까 걱정입니다.", "held"),
    ("신림천 물놀이장 안전요원", "여름철 아이들이 많아 안전요원이 더 있었으면 합니다.", "held"),
    ("청년 공유주방 운영 시간", "퇴근 뒤에도 쓸 수 있게 저녁 운영을 제안합니다.", "scheduled"),
    ("골목길 불법 주차 단속", "소방차가 못 들어갈 만큼 주차가 심한 골목이 있습니다.", "reviewing"),
    ("경로당 프로그램 확대", "스마트폰 교실 같은 프로그램을 늘려 주세요.", "received"),
    ("반려견 놀이터 조성", "관악산 자락에 반려견 놀이터가 있으면 좋겠습니다.", "declined"),
    ("마을버스 배차 간격", "출근 시간 배차 간격을 줄여 주세요.", "cancelled"),
]
RECORDS = {
    "보라매공원 산책로 밤길 조명": (
        "구청장과 보라매동 주민 세 분이 공원 산책로를 함께 걸으며 어두운 구간을 확인했습니다.\n\n"
        "- 운동기구 주변과 연못 뒤편 산책로가 특히 어둡습니다.\n- 고장 난 보안등 신고 방법을 잘 모릅니다.",
        "- 2027년 상반기에 LED 보안등 12개를 더 설치합니다.\n- 고장 신고 안내판을 입구 네 곳에 붙입니다.",
    ),
    "신림천 물놀이장 안전요원": (
        "여름철 물놀이장 이용 현황과 안전 관리에 대해 이야기를 나눴습니다.",
        "- 주말 안전요원을 2명에서 4명으로 늘립니다.\n- 응급처치 교육을 받은 자원봉사자를 모집합니다.",
    ),
}


def _working_days_ahead(start: date, count: int) -> list[date]:
    days, day = [], start
    while len(days) < count:
        day += timedelta(days=1)
        if is_working_day(day):
            days.append(day)
    return days


def _held_meeting(n: int, title: str, body: str, resident, staff) -> None:
    """A meeting that happened one or two months ago: applied for two weeks before, held
    on a working day in the afternoon, its record published the same evening."""
    met = _working_days_ahead(clock.today() - timedelta(days=30 * (2 - n) + 1), 1)[0]
    applied = met - timedelta(days=14)
    with clock.frozen(datetime.combine(applied, time(1, 0))):  # 10:00 KST
        application = ops.apply(
            resident, title=title, body=body, group_size=1 + n % 4,
            preferences=[ops.Preference(met, "오후"),
                         ops.Preference(_working_days_ahead(met, 1)[0], "오전")],
            phone=f"010-{5100 + n:04d}-{2300 + n:04d}", publish_body=n % 2 == 0, consented=True,
        )  # fmt: skip
        ops.start_review(application, staff)
        ops.schedule(application, staff, day=met, at=time(14, 0), place="관악구청 구청장실")
    with clock.frozen(datetime.combine(met, time(8, 0))):  # 17:00 KST, after the meeting
        ops.complete(application, staff)
        discussed, actions = RECORDS[title]
        ops.save_record(
            None, staff, title=f"{title} 이야기", held_on=met,
            discussed=discussed, actions=actions, publish=True, application=application,
        )  # fmt: skip


def seed_cheong() -> Iterator[str]:
    if db.session.get(Setting, "visits.baseline") is None:
        set_setting("visits.baseline", CARD_VISITS)
        db.session.commit()
        yield f"방문 기준값 {CARD_VISITS:,}명 (2023-12-18 기준)을 넣었습니다."
    if db.session.scalar(select(func.count(DateApplication.id))):
        return
    residents, staff = demo_residents(), demo_user("audit")
    if not residents or staff is None:
        return
    today = clock.today()
    later = _working_days_ahead(today, 6)
    for n, (title, body, state) in enumerate(TOPICS):
        resident = residents[n % len(residents)]
        if state == "held":
            _held_meeting(n, title, body, resident, staff)
            continue
        application = ops.apply(
            resident, title=title, body=body, group_size=1 + n % 4,
            preferences=[ops.Preference(later[n % 5], "오전"),
                         ops.Preference(later[n % 5 + 1], "오후")],
            phone=f"010-{5100 + n:04d}-{2300 + n:04d}", publish_body=n % 2 == 0, consented=True,
        )  # fmt: skip
        if state in ("reviewing", "scheduled"):
            ops.start_review(application, staff)
        if state == "scheduled":
            ops.schedule(
                application, staff, day=later[2], at=time(14, 0), place="관악구청 구청장실"
            )
        if state == "declined":
            ops.decline(
                application, staff, "관악산 구역은 서울시 관리 구역이라 시에 제안을 전달했습니다."
            )
        if state == "cancelled":
            ops.cancel(application, resident)
    yield f"소통데이트 신청 {len(TOPICS)}건과 공개 기록 {len(RECORDS)}건을 만들었습니다."
