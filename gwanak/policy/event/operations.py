"""The monthly ranking, confirming winners, payouts, budget and the month's CSV.

Counting rules (stated on the public page too):
- proposals: posts on the 정책참여 제안하기 board created in the month (Korean time),
  not hidden and not withdrawn;
- comments: comments on 제안하기 proposals and on 관악구가 묻습니다! agendas created in the
  month, not deleted, not hidden, and not on a hidden proposal;
- only resident accounts count (staff, mayor, admins never), and deleted accounts never;
- at least the minimum (a setting) to qualify; a month may have no winner;
- ties: the resident who reached the count first (earlier last counted item) ranks
  higher; then the older account.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import and_, func, or_, select
from sqlalchemy.exc import IntegrityError

from gwanak.accounts.models import Role, User
from gwanak.core import clock, params
from gwanak.core.audit import record_audit
from gwanak.core.csv_safe import csv_text
from gwanak.core.extensions import db
from gwanak.core.mail import mail_user, public_url
from gwanak.core.masking import mask_name
from gwanak.core.operations import OperationError
from gwanak.core.settings import SettingSpec, get_setting
from gwanak.participation.models import Comment, Discussion, Proposal, ProposalState
from gwanak.policy.board import POLICY_BOARD
from gwanak.policy.event.models import CATEGORIES, EVENT_DEPARTMENT, EventMonth, EventWinner

# Rules as data: installed by this feature (Feature.settings).
SETTINGS = (
    SettingSpec(
        "event.first_month",
        "정책참여 이벤트 시작 월(YYYYMM)",
        202207,
        minimum=200001,
        maximum=210012,
    ),
    SettingSpec(
        "event.last_month",
        "정책참여 이벤트 종료 월(YYYYMM)",
        202606,
        minimum=200001,
        maximum=210012,
    ),
    SettingSpec("event.proposal_winners", "정책참여 이벤트 제안 부문 당첨 인원", 3, minimum=0),
    SettingSpec("event.comment_winners", "정책참여 이벤트 댓글 부문 당첨 인원", 2, minimum=0),
    SettingSpec("event.min_proposals", "정책참여 이벤트 제안 부문 최소 건수", 1, minimum=1),
    SettingSpec("event.min_comments", "정책참여 이벤트 댓글 부문 최소 건수", 1, minimum=1),
    SettingSpec("event.prize_won", "정책참여 이벤트 1인 상품권 금액(원)", 20000, minimum=0),
    SettingSpec("event.yearly_budget_won", "정책참여 이벤트 연간 예산(원)", 1_200_000, minimum=0),
)

TIE_RULE = "건수가 같으면 그 건수에 먼저 도달한 분(마지막 글을 더 일찍 쓴 분), 그다음 먼저 가입한 분이 앞섭니다."


# --- months ---------------------------------------------------------------------------


def parse_month(text: str) -> int:
    """'2023-08' → 202308; ValueError on anything else (as core.params reads months)."""
    first = params.parse_month(text)
    if first is None:
        raise ValueError(text)
    return first.year * 100 + first.month


def month_text(month: int) -> str:
    return f"{month // 100:04d}-{month % 100:02d}"


def month_label(month: int) -> str:
    return f"{month // 100}년 {month % 100}월"


def next_month(month: int) -> int:
    year, m = divmod(month, 100)
    return (year + 1) * 100 + 1 if m == 12 else month + 1


def month_bounds(month: int) -> tuple[datetime, datetime]:
    """The month in Korean time, as naive-UTC [start, end)."""
    nine = timedelta(hours=9)
    start = datetime.combine(date(month // 100, month % 100, 1), time()) - nine
    after = next_month(month)
    end = datetime.combine(date(after // 100, after % 100, 1), time()) - nine
    return start, end


def in_period(month: int) -> bool:
    return get_setting("event.first_month") <= month <= get_setting("event.last_month")


def period_months() -> list[int]:
    """Months of the period that have ended, newest first."""
    today = clock.today()
    current = today.year * 100 + today.month
    months, month = [], get_setting("event.first_month")
    while month <= get_setting("event.last_month") and month < current:
        months.append(month)
        month = next_month(month)
    return months[::-1]


# --- ranking --------------------------------------------------------------------------


@dataclass
class Ranked:
    user_id: int
    name: str
    count: int
    last_at: datetime
    rank: int = 0
    wins: bool = False


@dataclass
class MonthRanking:
    month: int
    proposals: list[Ranked]
    comments: list[Ranked]

    def winners(self, category: str) -> list[Ranked]:
        return [r for r in (self.proposals if category == "proposal" else self.comments) if r.wins]


def _residents():
    return and_(User.role == Role.RESIDENT, User.deleted_at.is_(None))


def _rank(rows, winners: int, minimum: int) -> list[Ranked]:
    ranked = [Ranked(uid, name, n, last) for uid, name, n, last in rows]
    ranked.sort(key=lambda r: (-r.count, r.last_at, r.user_id))
    for position, row in enumerate(ranked, start=1):
        row.rank = position
        row.wins = position <= winners and row.count >= minimum
    return ranked


def rank_month(month: int, limit: int = 20) -> MonthRanking:
    """The month's ranking in both categories, counted from the data (two GROUP BY queries)."""
    start, end = month_bounds(month)
    proposals = db.session.execute(
        select(User.id, User.name, func.count(Proposal.id), func.max(Proposal.created_at))
        .join(Proposal, Proposal.author_id == User.id)
        .where(
            _residents(),
            Proposal.board == POLICY_BOARD.slug,
            Proposal.hidden_at.is_(None),
            Proposal.state != ProposalState.WITHDRAWN,
            Proposal.created_at >= start,
            Proposal.created_at < end,
        )
        .group_by(User.id, User.name)
        .order_by(func.count(Proposal.id).desc(), func.max(Proposal.created_at), User.id)
        .limit(limit)
    ).all()
    comments = db.session.execute(
        select(User.id, User.name, func.count(Comment.id), func.max(Comment.created_at))
        .join(Comment, Comment.author_id == User.id)
        .join(Discussion, Discussion.id == Comment.discussion_id)
        .outerjoin(Proposal, Proposal.discussion_id == Discussion.id)
        .where(
            _residents(),
            Comment.deleted_at.is_(None),
            Comment.hidden_at.is_(None),
            Comment.created_at >= start,
            Comment.created_at < end,
            or_(
                Discussion.subject_type == "agenda",
                and_(Proposal.board == POLICY_BOARD.slug, Proposal.hidden_at.is_(None)),
            ),
        )
        .group_by(User.id, User.name)
        .order_by(func.count(Comment.id).desc(), func.max(Comment.created_at), User.id)
        .limit(limit)
    ).all()
    return MonthRanking(
        month,
        _rank(proposals, get_setting("event.proposal_winners"), get_setting("event.min_proposals")),
        _rank(comments, get_setting("event.comment_winners"), get_setting("event.min_comments")),
    )


# --- confirming and paying --------------------------------------------------------------


def confirm_month(month: int, staff) -> EventMonth:
    """Staff confirm a finished month's winners from the ranking, once (the primary key
    refuses a second confirmation, also under concurrency). Commits."""
    if not in_period(month):
        raise OperationError(f"{month_label(month)}은(는) 이벤트 기간이 아닙니다.", status=409)
    if clock.now() < month_bounds(month)[1]:
        raise OperationError(
            f"{month_label(month)}이(가) 끝난 뒤에 당첨자를 확정할 수 있습니다.", status=409
        )
    if db.session.get(EventMonth, month) is not None:
        raise OperationError(f"{month_label(month)} 당첨자는 이미 확정했습니다.", status=409)
    ranking = rank_month(month)
    prize = get_setting("event.prize_won")
    record = EventMonth(month=month, confirmed_at=clock.now(), confirmed_by_id=staff.id)
    db.session.add(record)
    try:
        db.session.flush()
    except IntegrityError as error:
        db.session.rollback()
        raise OperationError(
            f"{month_label(month)} 당첨자는 이미 확정했습니다.", status=409
        ) from error
    count = 0
    for category in CATEGORIES:
        for row in ranking.winners(category):
            db.session.add(EventWinner(month=month, category=category, rank=row.rank,
                                       user_id=row.user_id, count=row.count, amount=prize))  # fmt: skip
            _tell_winner(row, category, month, prize)
            count += 1
    record.winner_count = count
    record_audit("event.confirm", "event_month", month, after={"winners": count}, actor_id=staff.id)
    try:
        db.session.commit()
    except IntegrityError as error:
        db.session.rollback()
        raise OperationError(
            f"{month_label(month)} 당첨자는 이미 확정했습니다.", status=409
        ) from error
    return record


def _tell_winner(row: Ranked, category: str, month: int, prize: int) -> None:
    """Queue the winner's mail (a step: it goes out only if the confirmation commits)."""
    noun = "제안" if category == "proposal" else "댓글"
    mail_user(
        db.session.get(User, row.user_id),
        f"[온라인 관악청] {month_label(month)} 정책참여 이벤트에 당첨되셨습니다",
        f"{month_label(month)} 정책참여 이벤트 '{CATEGORIES[category]}' 부문에 당첨되셨습니다 "
        f"({noun} {row.count}건, {row.rank}위).\n"
        f"상품으로 {prize:,}원 온누리상품권을 드립니다. 지급 방법은 담당 부서"
        f"({EVENT_DEPARTMENT})에서 따로 안내해 드립니다.\n\n"
        f"당첨자 발표: {public_url('policy.event_index')}",
    )


def record_payout(
    winner: EventWinner, staff, paid_on: date | None, amount: int | None, note: str = ""
) -> None:
    """Record that a winner's voucher was given (amount defaults to the prize setting). Commits."""
    if winner.paid_on is not None:
        raise OperationError("이미 지급을 기록했습니다.", status=409)
    if paid_on is None:
        raise OperationError("지급일을 입력하세요.", field="paid_on")
    if paid_on > clock.today():
        raise OperationError("지급일은 오늘 이후일 수 없습니다.", field="paid_on")
    if amount is not None and amount <= 0:
        raise OperationError("금액은 0보다 커야 합니다.", field="amount")
    winner.paid_on = paid_on
    winner.amount = amount if amount is not None else winner.amount
    winner.paid_by_id = staff.id
    winner.note = (note or "").strip()[:200]
    record_audit("event.payout", "event_winner", winner.id,
                 after={"paid_on": paid_on.isoformat(), "amount": winner.amount}, actor_id=staff.id)  # fmt: skip
    db.session.commit()


@dataclass
class Budget:
    year: int
    budget: int
    paid: int
    confirmed: int  # amounts of confirmed winners (paid or not)

    @property
    def remaining(self) -> int:
        return self.budget - self.paid

    @property
    def percent(self) -> float:
        return round(100 * self.paid / self.budget, 1) if self.budget else 0.0


def budget_of(year: int) -> Budget:
    lo, hi = year * 100, year * 100 + 99
    in_year = and_(EventWinner.month >= lo, EventWinner.month <= hi)
    paid = db.session.scalar(select(func.coalesce(func.sum(EventWinner.amount), 0)).where(
        in_year, EventWinner.paid_on.is_not(None)))  # fmt: skip
    confirmed = db.session.scalar(
        select(func.coalesce(func.sum(EventWinner.amount), 0)).where(in_year)
    )
    return Budget(year, get_setting("event.yearly_budget_won"), int(paid or 0), int(confirmed or 0))


def month_csv(month: int) -> str:
    """The month's report (매월 초 정책참여 이벤트 운영 결과 보고) as CSV, Excel-friendly."""
    ranking = rank_month(month)
    record = db.session.get(EventMonth, month)
    winners = {(w.category, w.user_id): w for w in (record.winners if record else [])}
    header = [
        "월",
        "부문",
        "순위",
        "이름",
        "건수",
        "마지막 작성(KST)",
        "당첨",
        "금액(원)",
        "지급일",
    ]
    lines = []
    for category, rows in (("proposal", ranking.proposals), ("comment", ranking.comments)):
        for row in rows:
            won = winners.get((category, row.user_id))
            lines.append([
                month_text(month), CATEGORIES[category], row.rank, row.name, row.count,
                clock.to_kst(row.last_at).strftime("%Y-%m-%d %H:%M"),
                "확정" if won else ("예정" if row.wins else ""),
                won.amount if won else "", won.paid_on.isoformat() if won and won.paid_on else "",
            ])  # fmt: skip
    return csv_text(lines, header=header)


# --- public ---------------------------------------------------------------------------


@dataclass
class PublicMonth:
    month: int
    winners: list[tuple[str, str]]  # (category label, masked name)

    @property
    def label(self) -> str:
        return month_label(self.month)


def past_winners(limit: int = 24) -> list[PublicMonth]:
    months = db.session.scalars(
        select(EventMonth).order_by(EventMonth.month.desc()).limit(limit)
    ).all()
    return [
        PublicMonth(m.month, [(w.category_label, mask_name(w.user.name)) for w in m.winners])
        for m in months
    ]


def event_months_per_year(year: int) -> int:
    """Months of the year whose event was run (winners confirmed, or confirmed as none)."""
    return (
        db.session.scalar(
            select(func.count())
            .select_from(EventMonth)
            .where(EventMonth.month >= year * 100, EventMonth.month <= year * 100 + 99)
        )
        or 0
    )
