"""Demo: agendas open, closed and published, with opinions and polls; 31 in all
(2 일반의제, 29 협치의제) as on the card."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from sqlalchemy import select

from gwanak.accounts.demo import demo_residents, demo_user
from gwanak.core import clock
from gwanak.core.extensions import db
from gwanak.participation.operations import post_comment
from gwanak.policy.asks import operations as ops
from gwanak.policy.asks.models import Agenda

GOVERNANCE_TOPICS = ["마을공동체 활성화", "청년 주거", "기후위기 대응", "골목상권 살리기", "어르신 돌봄",
                     "아동 놀이공간", "1인가구 지원", "공유공간 운영", "도시농업", "자원순환"]  # fmt: skip


def _at(day) -> datetime:
    """09:00 KST of a date, as naive UTC."""
    return datetime.combine(day, time(0, 0))


def _agenda(user, kind, title, body, opens, closes, poll=None, question=""):
    with clock.frozen(_at(opens)):
        return ops.post_agenda(
            user,
            ops.AgendaFields(
                kind, title, body, opens, closes, question if poll else "", list(poll or [])
            ),
        )


def seed_agendas():
    if db.session.scalar(select(Agenda.id).limit(1)) is not None:
        return
    planning, autonomy = demo_user("planning"), demo_user("autonomy")
    residents = demo_residents()
    today = clock.today()

    # Archive: 27 governance agendas with results, 2019–2025.
    for n in range(27):
        opens = today.replace(year=2019 + n // 4, month=1 + (n % 4) * 3, day=5)
        if opens >= today - timedelta(days=60):
            opens = today - timedelta(days=400 + n)
        topic = GOVERNANCE_TOPICS[n % len(GOVERNANCE_TOPICS)]
        agenda = _agenda(autonomy, "governance", f"{opens.year}년 협치의제: {topic}",
                         f"{topic}에 대해 주민 여러분의 생각을 묻습니다.", opens, opens + timedelta(days=20))  # fmt: skip
        with clock.frozen(_at(opens + timedelta(days=2))):
            for person in residents[: 2 + n % 4]:
                post_comment(
                    agenda.discussion,
                    person,
                    f"{topic}에 찬성합니다. 주민 참여가 더 늘었으면 합니다.",
                )
        with clock.frozen(_at(opens + timedelta(days=40))):
            ops.publish_result(
                agenda, autonomy, f"주민 의견을 모아 **{topic}** 협치사업 계획에 반영했습니다."
            )

    # Published general agenda with a poll.
    opens = today - timedelta(days=90)
    published = _agenda(planning, "general", "구청 민원실 운영시간 연장, 필요할까요?",
                        "평일 저녁 민원실 운영 연장을 검토합니다. **의견과 투표**를 부탁드립니다.",
                        opens, opens + timedelta(days=21), ("필요하다", "필요 없다", "잘 모르겠다"),
                        "평일 저녁 민원실 운영을 연장할까요?")  # fmt: skip
    with clock.frozen(_at(opens + timedelta(days=3))):
        for i, person in enumerate(residents):
            ops.cast_vote(published, person, published.options[0 if i % 3 else 1].id)
            post_comment(
                published.discussion, person, "퇴근 후에도 민원을 볼 수 있으면 좋겠습니다."
            )
    with clock.frozen(_at(opens + timedelta(days=30))):
        ops.publish_result(
            published, planning, "매주 목요일 저녁 8시까지 민원실을 운영하기로 했습니다."
        )
    with clock.frozen(_at(opens + timedelta(days=33))):  # corrected: the earlier text stays public
        ops.publish_result(
            published,
            planning,
            "매주 목요일 저녁 8시까지 민원실을 운영하기로 했습니다. 공휴일이 낀 주에는 "
            "운영하지 않으며, 여권 업무는 저녁에도 접수만 받습니다.",
        )

    # Closed governance agenda waiting for its result.
    opens = today - timedelta(days=40)
    closed = _agenda(autonomy, "governance", "관악형 광장 토론 주제 정하기", "다음 광장 토론의 주제를 제안해 주세요.",
                     opens, opens + timedelta(days=14))  # fmt: skip
    with clock.frozen(_at(opens + timedelta(days=1))):
        for person in residents[:3]:
            post_comment(closed.discussion, person, "청년 일자리를 주제로 하면 좋겠습니다.")

    # Withdrawn: another department asks the same question at its own briefing.
    opens = today - timedelta(days=20)
    withdrawn = _agenda(autonomy, "governance", "마을버스 노선 조정 의견 수렴",
                        "신림동 마을버스 노선 조정안에 대한 의견을 듣습니다.",
                        opens, opens + timedelta(days=30))  # fmt: skip
    with clock.frozen(_at(opens + timedelta(days=4))):
        ops.withdraw_agenda(
            withdrawn,
            autonomy,
            "같은 내용을 교통행정과가 다음 달 노선 조정 설명회에서 함께 묻기로 해 이 의제는 "
            "철회합니다. 설명회 일정은 공지사항으로 알려 드립니다.",
        )

    # Open agendas: one general with a poll, one governance.
    open_general = _agenda(planning, "general", "봉천천 산책로 야간 조명, 어떻게 할까요?",
                           "봉천천 산책로의 밤길이 어둡다는 의견이 많습니다. 조명 방식을 골라 주세요.",
                           today - timedelta(days=3), today + timedelta(days=25),
                           ("태양광 조명", "LED 가로등", "바닥 조명", "현재 유지"), "어떤 조명이 좋을까요?")  # fmt: skip
    for i, person in enumerate(residents[:4]):
        ops.cast_vote(open_general, person, open_general.options[i % 3].id)
    for person in residents[:2]:
        post_comment(
            open_general.discussion, person, "밤에 운동하는 주민이 많아 밝은 조명이 필요합니다."
        )
    _agenda(autonomy, "governance", "2027년 협치의제 발굴", "내년에 함께 풀 지역 문제를 제안해 주세요.",
            today - timedelta(days=1), today + timedelta(days=30))  # fmt: skip
    db.session.commit()
    yield "관악구가 묻습니다! 의제 31건(일반 2, 협치 29)과 철회한 의제 1건을 만들었습니다."
