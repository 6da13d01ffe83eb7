"""Demo: the two contests of the 6-1-1 card, as it tells them.

- 2022 창의제안 공모전 (2022. 9. 1.~9. 30.): 13 entries forwarded to the committee, which
  in 2022. 12. chose 5 excellent (국민 3, 공무원 2).
- 2023 「ESG 아이디어 공모전」 (2023. 5. 1.~5. 31.): 70 received (국민 60, 공무원 10) by
  온라인관악청, 국민신문고, 이메일, 우편 and 방문; 57 valid (국민 47, 공무원 10), 13
  excluded (중복 1, 비제안 12); in 2023. 8. the committee chose 8 excellent (국민 6,
  공무원 2) and adopted 2 rejected entries on re-review.
"""

from __future__ import annotations

from datetime import date, datetime

from gwanak.accounts.demo import demo_residents, demo_user
from gwanak.core import clock
from gwanak.core.extensions import db
from gwanak.core.workdays import working_day_from
from gwanak.policy.contest import operations as ops
from gwanak.policy.contest.demo_entries import (
    COMPLAINTS_2023,
    EFFECTS,
    IDEAS_2022,
    OFFICIAL_IDEAS_2023,
    RESIDENT_IDEAS_2023,
    SUBMITTERS,
)

PRIZES = "- 금상 1건: 50만 원\n- 은상 1건: 30만 원\n- 동상 2건: 20만 원\n- 장려 4건: 10만 원"
OFFLINE = ("epeople", "email", "post", "visit", "epeople", "email")


def _at(day: date, hour: int = 1) -> datetime:
    """10:00 KST of a day, as naive UTC."""
    return datetime(day.year, day.month, day.day, hour, 0)


def _fields(idea: tuple[str, str, str], n: int, relation: str) -> ops.EntryFields:
    title, problem, proposal = idea
    return ops.EntryFields(
        title=title,
        problem=problem,
        proposal=proposal,
        effect=EFFECTS[n % len(EFFECTS)],
        relation=relation,
        consent=True,
    )


def _enter(contest, staff, residents, data, n, day, online: bool):
    """One entry on its day: online by a demo resident, or registered by staff on the
    next working day."""
    if not (online and residents):
        day = working_day_from(day)
    with clock.frozen(_at(day, 1 + n % 8)):
        if online and residents:
            return ops.submit_entry(contest, residents[n % len(residents)], data)
        data.channel = "email" if data.relation == "official" else OFFLINE[n % len(OFFLINE)]
        data.submitter_name = SUBMITTERS[n % len(SUBMITTERS)]
        return ops.register_offline_entry(contest, staff, data)


PRIZE_AMOUNTS = {"금상": 500_000, "은상": 300_000, "동상": 200_000, "장려": 100_000}


def _pay_prizes(entries, excellent: dict[int, str], staff, paid_on: date) -> None:
    """시상금: paid on a working day about two weeks after the results."""
    with clock.frozen(_at(paid_on, 5)):
        for n, grade in excellent.items():
            ops.record_prize_payment(entries[n], staff, paid_on, PRIZE_AMOUNTS[grade])


def _contest_2022(planning, residents) -> None:
    with clock.frozen(_at(date(2022, 8, 22))):
        contest = ops.create_contest(
            ops.ContestFields(
                year=2022,
                title="창의제안 공모전",
                theme="현안정책 아이디어, 민선8기 전략목표 아이디어 등",
                opens_on=date(2022, 9, 1),
                closes_on=date(2022, 9, 30),
                eligibility=["resident", "worker", "official"],
                grades=["금상", "은상", "동상", "장려"],
                prize_rules="- 금상 1건: 50만 원\n- 은상 1건: 30만 원\n- 동상 1건: 20만 원\n"
                "- 장려 2건: 10만 원",
            ),
            planning.id,
        )
    entries = []
    for n, idea in enumerate(IDEAS_2022):
        relation = "official" if n >= 10 else ("worker" if n in (3, 7) else "resident")
        day = date(2022, 9, 1 + (n * 2) % 29)
        entries.append(
            _enter(contest, planning, residents, _fields(idea, n, relation), n, day, n % 3 == 0)
        )
    with clock.frozen(_at(date(2022, 10, 20))):
        for entry in entries:
            ops.screen_entry(entry, planning, "forward", "")
    # 우수제안 5건 (국민 3, 공무원 2).
    excellent = {1: "금상", 10: "은상", 9: "동상", 4: "장려", 12: "장려"}
    with clock.frozen(_at(date(2022, 12, 14), 5)):
        for n, entry in enumerate(entries):
            if n in excellent:
                ops.decide_entry(entry, planning, "excellent", excellent[n], "제안심사위원회 의결")
            else:
                ops.decide_entry(entry, planning, "rejected", reason="기존 사업과 중복되거나 효과 검토 결과 불채택")  # fmt: skip
    with clock.frozen(_at(date(2022, 12, 20))):
        ops.publish_results(contest, planning.id)
    _pay_prizes(entries, excellent, planning, date(2023, 1, 3))
    with clock.frozen(_at(date(2023, 4, 3))):
        ops.track_implementation(entries[9], planning, "implemented", date(2023, 1, 16),
                                 "이용객이 많은 정류장 20곳에 온열의자 설치")  # fmt: skip


def _contest_2023(planning, residents) -> None:
    with clock.frozen(_at(date(2023, 4, 17))):
        contest = ops.create_contest(
            ops.ContestFields(
                year=2023,
                title="ESG 아이디어 공모전",
                theme="생활 속에서 ESG를 실천할 수 있는 정책 아이디어",
                opens_on=date(2023, 5, 1),
                closes_on=date(2023, 5, 31),
                eligibility=["resident", "worker", "official"],
                grades=["금상", "은상", "동상", "장려"],
                prize_rules=PRIZES,
            ),
            planning.id,
        )
    ideas, complaints = [], []
    for n, idea in enumerate(RESIDENT_IDEAS_2023):
        relation = "worker" if n % 6 == 5 else "resident"
        day = date(2023, 5, 1 + (n * 3) % 31)
        ideas.append(
            _enter(contest, planning, residents, _fields(idea, n, relation), n, day, n < 14)
        )
    for n, idea in enumerate(OFFICIAL_IDEAS_2023):
        day = date(2023, 5, 8 + n * 2)
        ideas.append(_enter(contest, planning, residents, _fields(idea, n, "official"), n + 47,
                            day, False))  # fmt: skip
    for n, complaint in enumerate(COMPLAINTS_2023):
        day = date(2023, 5, 2 + n * 2)
        complaints.append(_enter(contest, planning, residents, _fields(complaint, n, "resident"),
                                 n + 60, day, n in (3, 8)))  # fmt: skip
    # The same idea sent again by e-mail after entering it online.
    twice = ops.EntryFields(*RESIDENT_IDEAS_2023[2], EFFECTS[2], "resident", True)
    duplicate = _enter(contest, planning, [], twice, 2, date(2023, 5, 30), False)
    with clock.frozen(_at(date(2023, 6, 20))):
        ops.screen_entry(duplicate, planning, "duplicate", "온라인으로 낸 '동네 공구 도서관'과 같은 제안")  # fmt: skip
        for entry in complaints:
            ops.screen_entry(entry, planning, "non_proposal", "개선 방안이 없는 단순 민원으로, 담당 부서에 민원으로 넘김")  # fmt: skip
        for entry in ideas:
            ops.screen_entry(entry, planning, "forward", "")
    # 우수제안 8건 (국민 6, 공무원 2); 불채택제안 재심 2건 채택.
    excellent = {1: "금상", 2: "은상", 0: "동상", 22: "동상", 5: "장려", 16: "장려",
                 47: "장려", 50: "장려"}  # fmt: skip
    with clock.frozen(_at(date(2023, 8, 22), 5)):
        rejected = []
        for n, entry in enumerate(ideas):
            if n in excellent:
                ops.decide_entry(entry, planning, "excellent", excellent[n], "제안심사위원회 의결")
            else:
                ops.decide_entry(entry, planning, "rejected", reason="실현 가능성·효과 검토 결과 불채택")  # fmt: skip
                rejected.append(entry)
    with clock.frozen(_at(date(2023, 8, 29), 5)):
        for entry in (ideas[11], ideas[32]):  # 교복 나눔 장터, 공유 우산
            ops.rereview_entry(entry, planning, True, "", "재심 결과 2024년 사업으로 추진")
    with clock.frozen(_at(date(2023, 9, 5))):
        ops.publish_results(contest, planning.id)
    _pay_prizes(ideas, excellent, planning, date(2023, 9, 19))
    with clock.frozen(_at(date(2024, 3, 4))):
        ops.track_implementation(ideas[1], planning, "implemented", date(2024, 2, 26),
                                 "샤로수길 카페 12곳 다회용 컵 공유 시범 운영")  # fmt: skip
        ops.track_implementation(ideas[2], planning, "planned", None, "2024년 하반기 2개 동 시범")


def seed_contests():
    planning = demo_user("planning")
    if planning is None:
        return
    residents = demo_residents()
    made = []
    if ops.contest_for_year(2022) is None:
        _contest_2022(planning, residents)
        made.append("2022년 창의제안 공모전(응모 13건, 우수 5건)")
    if ops.contest_for_year(2023) is None:
        _contest_2023(planning, residents)
        made.append("2023년 ESG 아이디어 공모전(응모 70건, 유효 57건, 우수 8건)")
    db.session.commit()
    if made:
        yield " · ".join(made) + "을 만들었습니다."
