"""Demo data for 관악청: applications in every state, two published meeting records,
and the visit baseline from the card (400,226 visits as of 2023-12-18).

Each application is played through the operations at the moments it happened: applied
on some evening, reviewed and scheduled by staff on working days, the meeting held on
the applicant's own first choice (a working day, in that slot's hours), the record
written the next working day. Nothing depends on randomness: the same day gives the
same demo."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, time, timedelta

from sqlalchemy import func, select

from gwanak.accounts.demo import demo_people, demo_user
from gwanak.cheong import operations as ops
from gwanak.cheong.models import DateApplication
from gwanak.core import clock
from gwanak.core.extensions import db
from gwanak.core.settings import Setting, set_setting
from gwanak.core.workdays import is_working_day
from gwanak.participation.demo_threads import kst_moment

CARD_VISITS = 400_226  # the card's count of visits before this system, as of 2023-12-18


@dataclass(frozen=True)
class Meeting:
    """One application's story; `age` is how many days ago it was sent."""

    who: str
    title: str
    body: str
    state: str
    age: int
    group_size: int
    phone: str
    slots: tuple[str, str] = ("오전", "오후")
    lead: int = 9  # the first preferred day: this many working days after applying
    record: tuple[str, str, str] | None = None  # title, discussed, actions
    reason: str | None = None  # why it was declined


MEETINGS = (
    Meeting(
        "kim", "보라매공원 산책로 밤길 조명",
        "저녁에 보라매공원을 걷는 어르신이 많은데 연못 뒤편 산책로가 너무 어둡습니다. "
        "구청장님과 같이 밤에 한번 걸어 보고 싶습니다.",
        "held", 74, 3, "010-4827-1193", ("오후", "오후"), lead=8,
        record=(
            "보라매공원 밤길을 함께 걸었습니다",
            "구청장과 보라매동 주민 세 분이 공원 산책로를 함께 걸으며 어두운 구간을 "
            "확인했습니다.\n\n- 운동기구 주변과 연못 뒤편 산책로가 특히 어둡습니다.\n"
            "- 고장 난 보안등을 어디에 신고하는지 모르는 주민이 많습니다.",
            "- 내년 상반기에 LED 보안등 12개를 더 설치합니다.\n"
            "- 고장 신고 안내판을 공원 입구 네 곳에 붙입니다.",
        ),
    ),
    Meeting(
        "yang", "조원동 초등학교 통학로 불법 주정차",
        "아침마다 학교 앞 골목에 차가 서 있어서 아이들이 차도로 걸어갑니다. 학부모 "
        "몇 명이 함께 가서 현장 사진을 보여 드리고 싶어요.",
        "held", 38, 4, "010-3315-9072", ("오전", "오전"), lead=6,
        record=(
            "조원동 통학로, 학부모들과 등굣길을 살폈습니다",
            "학부모 네 분과 등교 시간에 학교 앞 골목을 함께 걸었습니다.\n\n"
            "- 오전 8시부터 8시 40분 사이 골목 양쪽에 주정차가 몰립니다.\n"
            "- 보도가 없는 구간이 약 60미터입니다.",
            "- 등교 시간대 주정차 단속 카메라 설치를 경찰서와 협의합니다.\n"
            "- 보도가 없는 구간에 노란색 보행로를 칠합니다 (겨울방학 중 공사).",
        ),
    ),
    Meeting(
        "song", "청년 공유주방 저녁 운영",
        "공유주방이 오후 6시에 닫아서 직장 다니는 청년은 쓸 수가 없습니다. 같이 "
        "쓰는 친구들과 저녁 운영을 건의드리고 싶어요.",
        "scheduled", 6, 2, "010-2290-6418", ("오후", "오전"), lead=7,
    ),
    Meeting(
        "ryu", "골목 불법 주차로 소방차가 못 들어가요",
        "남현동 주택가 골목이 양쪽 주차 때문에 소방차가 들어올 수 없을 만큼 좁습니다. "
        "주민들 의견을 모아 왔습니다.",
        "reviewing", 4, 1, "010-7064-2835", ("오전", "오후"),
    ),
    Meeting(
        "oh", "경로당 스마트폰 교실을 늘려 주세요",
        "키오스크 주문이나 병원 예약을 못 해서 곤란한 어르신이 많습니다. 경로당 회원들과 "
        "함께 찾아뵙고 말씀드리고 싶습니다.",
        "received", 1, 5, "010-9152-4470", ("오전", "오전"),
    ),
    Meeting(
        "hwang", "관악산 자락 반려견 놀이터",
        "산책로 근처에 반려견이 목줄 없이 뛰어놀 수 있는 곳이 있으면 좋겠습니다.",
        "declined", 21, 2, "010-6683-0127",
        reason="제안하신 관악산 자락은 서울시가 관리하는 공원 구역이라 구에서 결정할 수 "
        "없습니다. 의견은 서울시 공원 부서에 전달했고, 결과를 따로 알려 드리겠습니다.",
    ),
    Meeting(
        "bae", "마을버스 출근 시간 배차 간격",
        "출근 시간 마을버스가 15분씩 오지 않아 지하철역까지 걸어갑니다.",
        "cancelled", 16, 1, "010-5540-3381", ("오후", "오전"),
    ),
)  # fmt: skip

# When each slot's meeting starts: inside its hours (ops.SLOT_HOURS).
SLOT_STARTS = {"오전": time(10, 30), "오후": time(15, 0)}


def _working_day(after: date, n: int = 1) -> date:
    """The n-th working day after a date."""
    day = after
    while n:
        day += timedelta(days=1)
        n -= is_working_day(day)
    return day


def _play(meeting: Meeting, resident, staff) -> DateApplication | None:
    """Apply on an evening, then let staff and the applicant act on later days; a step
    still to come (after today) is left for the real staff to take."""
    today = clock.today()
    applied_on = today - timedelta(days=meeting.age)
    first = _working_day(applied_on, meeting.lead)
    choices = [
        ops.Preference(first, meeting.slots[0]),
        ops.Preference(_working_day(first, 2), meeting.slots[1]),
    ]
    with clock.frozen(kst_moment(applied_on, f"20:{10 + meeting.age % 40:02d}")):
        application = ops.apply(
            resident, title=meeting.title, body=meeting.body, group_size=meeting.group_size,
            preferences=choices, phone=meeting.phone, publish_body=meeting.age % 2 == 0,
            consented=True,
        )  # fmt: skip
    if meeting.state == "cancelled":
        with clock.frozen(kst_moment(applied_on + timedelta(days=2), "21:05")):
            ops.cancel(application, resident)
        return application
    if meeting.state == "received":
        return application
    reviewed_on = _working_day(applied_on)
    if kst_moment(reviewed_on, "09:40") > clock.now():
        return application
    with clock.frozen(kst_moment(reviewed_on, "09:40")):
        ops.start_review(application, staff)
    decided_at = kst_moment(_working_day(reviewed_on), "11:00")
    if meeting.state == "reviewing" or decided_at > clock.now():
        return application
    if meeting.state == "declined":
        with clock.frozen(decided_at):
            ops.decline(application, staff, meeting.reason or "")
        return application
    with clock.frozen(decided_at):
        ops.schedule(
            application, staff, day=first, at=SLOT_STARTS[meeting.slots[0]],
            place="관악구청 구청장실" if meeting.record is None else "현장 (주민과 함께 걷기)",
        )  # fmt: skip
    if meeting.state == "held" and meeting.record and _working_day(first) < clock.today():
        with clock.frozen(kst_moment(first, "18:00")):
            ops.complete(application, staff)
        title, discussed, actions = meeting.record
        with clock.frozen(kst_moment(_working_day(first), "14:30")):
            ops.save_record(
                None, staff, title=title, held_on=first, discussed=discussed,
                actions=actions, publish=True, application=application,
            )  # fmt: skip
    return application


def seed_cheong() -> Iterator[str]:
    if db.session.get(Setting, "visits.baseline") is None:
        set_setting("visits.baseline", CARD_VISITS)
        db.session.commit()
        yield f"방문 기준값 {CARD_VISITS:,}명 (2023-12-18 기준)을 넣었습니다."
    if db.session.scalar(select(func.count(DateApplication.id))):
        return
    people, staff = demo_people(), demo_user("audit")
    if staff is None:
        return
    played = [
        _play(meeting, people[meeting.who], staff) for meeting in MEETINGS if meeting.who in people
    ]
    records = sum(1 for meeting in MEETINGS if meeting.record and meeting.who in people)
    yield f"소통데이트 신청 {len(played)}건과 공개 기록 {records}건을 만들었습니다."
