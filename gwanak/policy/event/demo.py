"""Demo: a few months of event winners, counted from the demo proposals and comments."""

from __future__ import annotations

from sqlalchemy import select

from gwanak.accounts.demo import demo_user
from gwanak.core import clock
from gwanak.core.extensions import db
from gwanak.policy.event import operations as ops
from gwanak.policy.event.models import EventMonth

EARLY_PROPOSALS = [
    ("kim", "2026-05-04", "경로당 냉방비 지원을 늘려 주세요"),
    ("kim", "2026-05-19", "경로당 프로그램 안내를 동 게시판에도 붙여 주세요"),
    ("lee", "2026-05-11", "신림동 골목 쓰레기 무단투기 CCTV 설치"),
    ("park", "2026-05-27", "낙성대공원 반려견 놀이터 그늘막"),
    ("choi", "2026-06-02", "대학동 고시촌 1인가구 안부 확인 서비스"),
]


def _seed_period_proposals() -> None:
    """A few proposals inside the event period, so its months have proposal winners."""
    from datetime import datetime

    from gwanak.participation.operations import create_proposal
    from gwanak.policy.board import POLICY_BOARD

    for local, day, title in EARLY_PROPOSALS:
        author = demo_user(local)
        if author is None:
            continue
        with clock.frozen(datetime.fromisoformat(day + "T01:00:00")):
            create_proposal(
                POLICY_BOARD,
                author,
                title=title,
                body=title + ". 검토 부탁드립니다.",
                category="복지",
            )


def seed_event_months():
    if db.session.scalar(select(EventMonth.month).limit(1)) is not None:
        return
    planning = demo_user("planning")
    if planning is None:
        return
    _seed_period_proposals()
    # The three most recent months with participants, and 2023-08 (no winner, as on the card).
    months = []
    for month in ops.period_months():
        ranking = ops.rank_month(month)
        if ranking.winners("proposal") or ranking.winners("comment"):
            months.append(month)
        if len(months) == 3:
            break
    if ops.in_period(202308) and 202308 not in months:
        months.append(202308)
    for month in months:
        ops.confirm_month(month, planning)
    for winner in (w for m in months for w in db.session.get(EventMonth, m).winners):
        start, _ = ops.month_bounds(ops.next_month(winner.month))
        paid = clock.to_kst(start).date().replace(day=10)
        if paid <= clock.today():
            ops.record_payout(winner, planning, paid, None)
    yield f"정책참여 이벤트 {len(months)}개월을 확정했습니다."
