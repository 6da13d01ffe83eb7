"""Demo: the monthly event as the 6-1-1 card reports it, counted from real activity.

Winners are never typed in: each month the demo has exactly as many residents
proposing on 제안하기 and commenting (on that month's agenda) as the card's winners,
then staff confirm the month from the ranking and record the payouts:

- 2022. 7.~12.: 260천 원 (최다 제안자 4명, 최다 댓글 등록자 9명), paid in 2022. 12.;
- 2023. 1.~6.: 100천 원 (최다 제안자 2명, 최다 댓글 등록자 4명: one of the six could
  not be reached, so five were paid);
- 2023. 7.: 60천 원 (2 + 1); 8.: 지급대상자 없음; 9.: 20천 원 (1 + 0);
  10.: 40천 원 (1 + 1); 11.: 20천 원 (0 + 1).

Later months are confirmed from whatever residents did (the agendas' comments).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select

from gwanak.accounts.demo import demo_residents, demo_user
from gwanak.core import clock
from gwanak.core.extensions import db
from gwanak.core.workdays import working_day_from
from gwanak.policy.event import operations as ops
from gwanak.policy.event.models import EventMonth

# Month → (최다 제안자, 최다 댓글 등록자) as the card reports them, 2022. 7.~2023. 11.
CARD_MONTHS = {
    202207: (1, 2), 202208: (1, 2), 202209: (0, 1), 202210: (1, 2), 202211: (0, 1),
    202212: (1, 1),
    202301: (1, 1), 202302: (0, 1), 202303: (0, 0), 202304: (1, 1), 202305: (0, 0),
    202306: (0, 1),
    202307: (2, 1), 202308: (0, 0), 202309: (1, 0), 202310: (1, 1), 202311: (0, 1),
}  # fmt: skip
# Paid together for the first two periods, then month by month.
BATCH_PAYDAYS = {2022: date(2022, 12, 20), 2023: date(2023, 7, 12)}
UNREACHED = (202306, "comment")  # the card's 2023. 1.~6.: six winners, five paid

# Proposals residents posted in the card's months (the months' 최다 제안자).
CARD_PROPOSALS = [
    ("2022-07-12", "kim", "복지", "경로당 냉방비 지원 기간을 9월까지 늘려 주세요",
     "올여름 9월까지 더웠는데 경로당 냉방비 지원은 8월에 끝났습니다. 늦더위에도 어르신들이 쉴 수 있게 기간을 늘려 주세요."),
    ("2022-08-09", "lee", "환경", "신림동 원룸촌 분리배출 안내를 외국어로도",
     "신림동 원룸에는 외국인 유학생이 많은데 분리배출 안내가 한국어뿐이라 잘 지켜지지 않습니다. 영어·중국어 안내문을 붙여 주세요."),
    ("2022-10-17", "park", "교통", "낙성대역 출구 앞 킥보드 주차 구역 지정",
     "낙성대역 4번 출구 앞에 전동킥보드가 아무렇게나 세워져 있어 휠체어가 지나가기 어렵습니다. 주차 구역을 정해 주세요."),
    ("2022-12-06", "choi", "교육", "대학동 독서실 대신 구립 열람실 야간 개방",
     "대학동 청년들이 비싼 독서실을 이용합니다. 구립도서관 열람실을 시험 기간에 밤 11시까지 열어 주세요."),
    ("2023-01-16", "jung", "안전", "서원동 언덕길 빙판 열선 설치",
     "서원동 주택가 언덕길은 겨울마다 빙판이 됩니다. 경사가 심한 구간만이라도 도로 열선을 설치해 주세요."),
    ("2023-04-18", "kang", "문화·체육", "청림동 공원에 야외 운동기구 그늘막",
     "청림동 근린공원 운동기구가 한낮에는 뜨거워 쓸 수 없습니다. 그늘막을 설치해 주세요."),
    ("2023-07-10", "yoon", "복지", "인헌동 어르신 무더위 쉼터 주말 운영",
     "무더위 쉼터가 주말에 문을 닫아 어르신들이 갈 곳이 없습니다. 폭염 기간 주말에도 열어 주세요."),
    ("2023-07-24", "kim", "교통", "보라매공원 앞 횡단보도 신호 시간 연장",
     "보라매공원 앞 횡단보도 신호가 짧아 어르신들이 다 건너기 전에 빨간불이 됩니다. 보행 신호를 늘려 주세요."),
    ("2023-09-19", "lee", "환경", "도림천 산책로 음식물 쓰레기 수거함",
     "도림천 산책로 벤치 주변에 음식물 쓰레기가 버려져 냄새가 납니다. 뚜껑 달린 수거함을 두면 좋겠습니다."),
    ("2023-10-23", "park", "경제·일자리", "낙성대 골목상권 공동 포장 용기",
     "낙성대 골목 음식점들이 포장 용기를 각자 삽니다. 상인회가 다회용 용기를 함께 쓰도록 지원해 주세요."),
]  # fmt: skip
COMMENTS = (
    "좋은 의제입니다. 결과도 꼭 알려 주세요.",
    "우리 동네에도 꼭 필요한 일입니다.",
    "주민 의견을 이렇게 물어봐 주셔서 고맙습니다.",
    "현장에 가 보시면 더 잘 아실 수 있을 거예요.",
)

# The event demo's own proposals in 2026 (recent months with winners).
RECENT_PROPOSALS = [
    ("kim", "2026-05-04", "복지", "경로당 냉방비 지원을 늘려 주세요",
     "저희 동네 경로당은 6월만 돼도 오후에 너무 더워서 어르신들이 선풍기 하나로 버티십니다. "
     "냉방비 지원이 7~8월 두 달뿐이라 에어컨을 마음대로 못 켠다고 하시네요. 6월부터 "
     "지원해 주시면 좋겠습니다."),
    ("kim", "2026-05-19", "복지", "경로당 프로그램 안내를 동 게시판에도 붙여 주세요",
     "경로당 요가나 노래교실 일정이 누리집에만 올라와서 스마트폰 없는 어르신들은 "
     "모르고 지나가십니다. 주민센터 앞 게시판이랑 엘리베이터 안에도 한 장씩 붙여 주세요."),
    ("lee", "2026-05-11", "안전", "신림동 골목 쓰레기 무단투기 CCTV 설치",
     "신림로 뒤편 원룸 골목 전봇대 밑에 밤마다 쓰레기 봉투가 쌓입니다. 음식물까지 섞여 "
     "여름에는 냄새가 심해요. 계도용 CCTV나 안내 방송 기기를 달아 주셨으면 합니다."),
    ("park", "2026-05-27", "환경", "낙성대공원 반려견 놀이터 그늘막",
     "반려견 놀이터에 그늘이 하나도 없어서 낮에는 강아지들이 바닥이 뜨거워 못 놉니다. "
     "벤치 쪽에만이라도 그늘막을 쳐 주세요. 물 마시는 곳도 하나 더 있으면 좋겠어요."),
    ("choi", "2026-06-02", "복지", "대학동 고시촌 1인가구 안부 확인 서비스",
     "대학동에는 혼자 사는 중장년이 많은데 아파도 아무도 모르는 경우가 있습니다. 동 "
     "주민센터에서 안부 문자나 전화를 정기적으로 해 주는 서비스가 있으면 좋겠습니다. "
     "원하는 사람만 신청하게 하면 부담도 없을 것 같아요."),
]  # fmt: skip


def _at(day: date, hour: int = 1) -> datetime:
    return datetime(day.year, day.month, day.day, hour, 0)


def _propose(local: str, day: date, category: str, title: str, body: str) -> None:
    from gwanak.participation.operations import create_proposal
    from gwanak.policy.board import POLICY_BOARD

    author = demo_user(local)
    if author is None:
        return
    with clock.frozen(_at(day, 2)):
        create_proposal(POLICY_BOARD, author, title=title, body=body, category=category)


def card_commenters(month: int) -> int:
    """How many residents comment on the month's agenda (the agendas' demo asks)."""
    return CARD_MONTHS.get(month, (0, 0))[1]


def _confirm(month: int, planning) -> EventMonth:
    after = ops.next_month(month)
    day = working_day_from(date(after // 100, after % 100, 3))
    with clock.frozen(_at(day)):
        return ops.confirm_month(month, planning)


def _pay(record: EventMonth, planning) -> None:
    month = record.month
    year = month // 100
    for winner in record.winners:
        if (month, winner.category) == UNREACHED:
            continue  # the voucher could not be handed over
        if month in CARD_MONTHS and month < 202307:
            paid = BATCH_PAYDAYS[year]
        else:
            after = ops.next_month(month)
            paid = working_day_from(date(after // 100, after % 100, 10))
        if paid > clock.today():
            continue
        with clock.frozen(_at(paid, 5)):
            ops.record_payout(winner, planning, paid, None)


def seed_event_months():
    if db.session.scalar(select(EventMonth.month).limit(1)) is not None:
        return
    planning = demo_user("planning")
    if planning is None or not demo_residents():
        return
    for day, local, category, title, body in CARD_PROPOSALS:
        _propose(local, date.fromisoformat(day), category, title, body)
    for local, day, category, title, body in RECENT_PROPOSALS:
        _propose(local, date.fromisoformat(day), category, title, body)
    confirmed = 0
    for month in sorted(ops.period_months()):
        if month in CARD_MONTHS or month > max(CARD_MONTHS):
            _pay(_confirm(month, planning), planning)
            confirmed += 1
    yield f"정책참여 이벤트 {confirmed}개월을 확정했습니다 (2022. 7.~2023. 11. 지급은 공약 카드대로)."
