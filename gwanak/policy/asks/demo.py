"""Demo: 관악구가 묻습니다! as the 6-1-1 card counts it, then about one agenda a month.

13 agendas before the term (2019. 8.~2022. 5.), 6 in 2022 하반기, 12 in 2023 (일반 8,
협치 4) — 31 by the card's date — then one a month from 2024, and today's open ones.
In the event's card months (2022. 7.~2023. 11.) exactly as many residents comment on
the month's agenda as the card counts 최다 댓글 등록자 (the event demo confirms them).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from gwanak.accounts.demo import demo_residents, demo_user
from gwanak.core import clock
from gwanak.core.extensions import db
from gwanak.core.workdays import working_day_from
from gwanak.participation.operations import post_comment
from gwanak.policy.asks import operations as ops
from gwanak.policy.asks.demo_agendas import ARCHIVE, H2_2022, LATER, RESULTS, Y2023
from gwanak.policy.asks.models import Agenda
from gwanak.policy.event.demo import CARD_MONTHS, COMMENTS, card_commenters

ARCHIVE_MONTHS = (201908, 201911, 202002, 202005, 202008, 202011, 202102, 202104, 202107,
                  202110, 202112, 202203, 202205)  # fmt: skip


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


def _month_agenda(staff, item, month: int, residents, n: int) -> Agenda:
    """One month's agenda: opens on the first working day from the 5th, comments in the
    same month, result published after it closes."""
    kind, title, body, comments, *result = item
    opens = working_day_from(date(month // 100, month % 100, 5))
    poster = staff["planning"] if kind == "general" else staff["autonomy"]
    agenda = _agenda(poster, kind, title, body, opens, opens + timedelta(days=14))
    how_many = card_commenters(month) if month in CARD_MONTHS else len(comments)
    for i, person in enumerate(residents[n % 3 : n % 3 + how_many]):
        text = comments[i] if i < len(comments) else COMMENTS[(n + i) % len(COMMENTS)]
        with clock.frozen(_at(opens + timedelta(days=1 + i))):
            post_comment(agenda.discussion, person, text)
    closes_after = working_day_from(opens + timedelta(days=28))
    if closes_after <= clock.today():
        with clock.frozen(_at(closes_after)):
            ops.publish_result(agenda, poster, result[0] if result else RESULTS[n % len(RESULTS)])
    return agenda


def _months(first: int, count: int) -> list[int]:
    months, month = [], first
    for _ in range(count):
        months.append(month)
        year, m = divmod(month, 100)
        month = (year + 1) * 100 + 1 if m == 12 else month + 1
    return months


def seed_agendas():
    if db.session.scalar(select(Agenda.id).limit(1)) is not None:
        return
    staff = {"planning": demo_user("planning"), "autonomy": demo_user("autonomy")}
    if None in staff.values():
        return
    residents = demo_residents()
    today = clock.today()
    dated = list(zip(ARCHIVE, ARCHIVE_MONTHS, strict=True))
    dated += zip(H2_2022, _months(202207, 6), strict=True)
    dated += zip(Y2023, _months(202301, 12), strict=True)
    # From 2024 one a month, up to about three months ago (today's agendas follow).
    dated += [
        (item, month)
        for item, month in zip(LATER, _months(202401, len(LATER)), strict=True)
        if date(month // 100, month % 100, 28) < today - timedelta(days=100)
    ]
    for n, (item, month) in enumerate(dated):
        _month_agenda(staff, item, month, residents, n)
    count = len(dated) + _recent(staff, residents, today)
    db.session.commit()
    yield f"관악구가 묻습니다! 의제 {count}건을 만들었습니다 (2022 하반기 6건, 2023년 12건)."


def _recent(staff, residents, today: date) -> int:
    """This season's agendas: one published with a poll (its result corrected once), one
    closed and waiting for its result, one withdrawn, and two open now."""
    planning, autonomy = staff["planning"], staff["autonomy"]
    opens = working_day_from(today - timedelta(days=90))
    published = _agenda(planning, "general", "구청 민원실 운영시간 연장, 필요할까요?",
                        "평일 저녁 민원실 운영 연장을 검토합니다. **의견과 투표**를 부탁드립니다.",
                        opens, opens + timedelta(days=21), ("필요하다", "필요 없다", "잘 모르겠다"),
                        "평일 저녁 민원실 운영을 연장할까요?")  # fmt: skip
    opinions = ("퇴근 후에도 민원을 볼 수 있으면 좋겠습니다.", "목요일 하루만이라도 연장해 주세요.",
                "온라인 발급을 늘리는 게 먼저라고 생각합니다.", "직장인에게 꼭 필요합니다.")  # fmt: skip
    with clock.frozen(_at(opens + timedelta(days=3))):
        for i, person in enumerate(residents):
            ops.cast_vote(published, person, published.options[0 if i % 3 else 1].id)
            post_comment(published.discussion, person, opinions[i % len(opinions)])
    with clock.frozen(_at(working_day_from(opens + timedelta(days=30)))):
        ops.publish_result(
            published, planning, "매주 목요일 저녁 8시까지 민원실을 운영하기로 했습니다."
        )
    # Corrected a few days later: the earlier text stays public as a past version.
    with clock.frozen(_at(working_day_from(opens + timedelta(days=33)))):
        ops.publish_result(
            published,
            planning,
            "매주 목요일 저녁 8시까지 민원실을 운영하기로 했습니다. 공휴일이 낀 주에는 "
            "운영하지 않으며, 여권 업무는 저녁에도 접수만 받습니다.",
        )
    opens = working_day_from(today - timedelta(days=40))
    closed = _agenda(autonomy, "governance", "관악형 광장 토론 주제 정하기", "다음 광장 토론의 주제를 제안해 주세요.",
                     opens, opens + timedelta(days=14))  # fmt: skip
    topics = ("청년 일자리를 주제로 하면 좋겠습니다.", "반지하 주거 문제를 다뤄 주세요.",
              "골목 상권과 대형마트 상생도 이야기해 봐요.")  # fmt: skip
    with clock.frozen(_at(opens + timedelta(days=1))):
        for person, topic in zip(residents[:3], topics, strict=False):
            post_comment(closed.discussion, person, topic)
    # Withdrawn: another department asks the same question at its own briefing.
    opens = working_day_from(today - timedelta(days=20))
    withdrawn = _agenda(autonomy, "governance", "마을버스 노선 조정 의견 수렴",
                        "신림동 마을버스 노선 조정안에 대한 의견을 듣습니다.",
                        opens, opens + timedelta(days=30))  # fmt: skip
    with clock.frozen(_at(working_day_from(opens + timedelta(days=4)))):
        ops.withdraw_agenda(
            withdrawn,
            autonomy,
            "같은 내용을 교통행정과가 다음 달 노선 조정 설명회에서 함께 묻기로 해 이 의제는 "
            "철회합니다. 설명회 일정은 공지사항으로 알려 드립니다.",
        )
    open_general = _agenda(planning, "general", "봉천천 산책로 야간 조명, 어떻게 할까요?",
                           "봉천천 산책로의 밤길이 어둡다는 의견이 많습니다. 조명 방식을 골라 주세요.",
                           today - timedelta(days=3), today + timedelta(days=25),
                           ("태양광 조명", "LED 가로등", "바닥 조명", "현재 유지"), "어떤 조명이 좋을까요?")  # fmt: skip
    for i, person in enumerate(residents[:4]):
        ops.cast_vote(open_general, person, open_general.options[i % 3].id)
    for person, text in zip(residents[:2], ("밤에 운동하는 주민이 많아 밝은 조명이 필요합니다.",
                                            "주택가 쪽은 너무 밝지 않게 해 주세요."), strict=False):  # fmt: skip
        post_comment(open_general.discussion, person, text)
    _agenda(autonomy, "governance", f"{today.year + 1}년 협치의제 발굴", "내년에 함께 풀 지역 문제를 제안해 주세요.",
            today - timedelta(days=1), today + timedelta(days=30))  # fmt: skip
    return 5
