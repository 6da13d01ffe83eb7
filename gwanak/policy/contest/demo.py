"""Demo: the 2023 contest as the card tells it (70 received, 57 valid, 13 excluded)."""

from __future__ import annotations

from datetime import date, datetime

from gwanak.accounts.demo import demo_residents, demo_user
from gwanak.core import clock
from gwanak.core.extensions import db
from gwanak.policy.contest import operations as ops

SURNAMES = "김이박최정강조윤장임한오서신권황안송류홍"
GIVEN = ["민준", "서연", "도윤", "하은", "지호", "수아", "예준", "지유", "주원", "서윤"]
TOPICS = ["골목길 조명", "공원 그늘막", "버스정류장 쉼터", "어르신 무료 와이파이", "재활용 분리배출",
          "도서관 야간 개방", "반려견 산책로", "스쿨존 안전", "전통시장 주차", "청년 창업 공간"]  # fmt: skip


def seed_contests():
    if ops.contest_for_year(2023) is not None:
        return
    planning = demo_user("planning")
    residents = demo_residents()
    with clock.frozen(datetime(2023, 6, 1, 1, 0)):
        contest = ops.create_contest(
            ops.ContestFields(
                year=2023,
                title="창의제안 공모전",
                theme="구민의 생활 불편을 덜고 구정을 발전시키는 창의적인 아이디어",
                opens_on=date(2023, 6, 1),
                closes_on=date(2023, 6, 30),
                eligibility=["resident", "worker", "official"],
                grades=["금상", "은상", "동상", "장려"],
                prize_rules="- 금상 1건: 50만 원\n- 은상 1건: 30만 원\n- 동상 2건: 20만 원\n- 장려 3건: 10만 원",
            ),
            planning.id if planning else None,
        )
        entries = []
        for n in range(70):
            topic = TOPICS[n % len(TOPICS)]
            data = ops.EntryFields(
                title=f"{topic} 개선 제안 {n + 1}",
                problem=f"{topic}이(가) 불편하다는 의견이 많습니다.",
                proposal=f"{topic}을(를) 이렇게 바꾸면 좋겠습니다.",
                effect="구민 생활 편의가 높아집니다.",
                # As the card: 60 from residents (국민), 10 from officials, all 10 valid.
                relation="official"
                if n < 50 and n % 5 == 4
                else ("worker" if n % 7 == 3 else "resident"),
                consent=True,
            )
            if n < len(residents):
                entries.append(ops.submit_entry(contest, residents[n], data))
            else:
                data.channel = ["epeople", "email", "post", "visit", "online"][n % 5]
                if data.channel == "online":
                    data.channel = "epeople"
                data.submitter_name = SURNAMES[n % len(SURNAMES)] + GIVEN[n % len(GIVEN)]
                entries.append(ops.register_offline_entry(contest, planning, data))
    with clock.frozen(datetime(2023, 7, 14, 2, 0)):
        ops.screen_entry(entries[-1], planning, "duplicate", "12번 제안과 내용이 같음")
        for entry in entries[-13:-1]:
            ops.screen_entry(
                entry, planning, "non_proposal", "단순 민원·건의로 제안에 해당하지 않음"
            )
        for entry in entries[:-13]:
            ops.screen_entry(entry, planning, "forward", "")
    with clock.frozen(datetime(2023, 8, 22, 5, 0)):
        # 우수제안 8건 (국민 6, 공무원 2), as the card reports for 2023-08.
        excellent = [entries[i] for i in (0, 1, 2, 3, 5, 6, 4, 9)]
        grades = ["금상", "은상", "동상", "동상", "장려", "장려", "장려", "장려"]
        for entry, grade in zip(excellent, grades, strict=True):
            ops.decide_entry(entry, planning, "excellent", grade, "제안심사위원회 의결")
        rejected = [e for e in entries[:-13] if e not in excellent]
        for entry in rejected:
            ops.decide_entry(
                entry, planning, "rejected", reason="실현 가능성·효과 검토 결과 불채택"
            )
    with clock.frozen(datetime(2023, 9, 12, 5, 0)):
        for entry in rejected[:2]:  # 불채택제안 재심 2건 채택
            ops.rereview_entry(entry, planning, True, "", "재심 결과 내년 사업에 반영")
        ops.publish_results(contest, planning.id)
    with clock.frozen(datetime(2023, 9, 26, 5, 0)):  # 시상금, paid two weeks later
        prizes = {"금상": 500_000, "은상": 300_000, "동상": 200_000, "장려": 100_000}
        for entry, grade in zip(excellent, grades, strict=True):
            ops.record_prize_payment(entry, planning, date(2023, 9, 26), prizes[grade])
    with clock.frozen(datetime(2024, 3, 4, 1, 0)):
        ops.track_implementation(
            entries[0], planning, "implemented", date(2024, 3, 4), "골목길 조명 설치 완료"
        )
        ops.track_implementation(entries[1], planning, "planned", None, "2024년 하반기 추진")
    db.session.commit()
    yield "2023년 창의제안 공모전(응모 70건, 유효 57건)을 만들었습니다."
