"""공감 (gonggam): given once per person; the one that reaches the board's threshold
starts the department's review."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, bindparam, delete, exists, or_, select, update

from gwanak.accounts.models import User
from gwanak.core import clock
from gwanak.core.extensions import db
from gwanak.core.operations import OperationError
from gwanak.core.sql import insert_ignoring
from gwanak.participation.boards import (
    BoardSpec,
    board,
)
from gwanak.participation.models import (
    Gonggam,
    Proposal,
    ProposalState,
)
from gwanak.participation.operations.common import (
    add_timeline_event,
    no_sync,
    require_participant,
)
from gwanak.participation.operations.following import notify_followers


@dataclass
class GonggamResult:
    count: int
    given: bool
    moved_to_review: bool = False


@dataclass(frozen=True)
class GonggamTarget:
    """What giving 공감 needs to know of a proposal: three columns, not the whole row.

    A `Proposal` serves as well; the 공감 route reads only this (the busiest write)."""

    id: int
    board: str
    author_id: int | None


# The busiest write's statements are built once (bound by name at each use), so a 공감
# spends its time in the database rather than in assembling and keying SQL.
_P = Proposal.__table__
_TARGET = select(_P.c.id, _P.c.board, _P.c.author_id).where(_P.c.id == bindparam("pid"))
_COUNT_UP = (
    update(_P)
    .where(
        _P.c.id == bindparam("pid"),
        _P.c.hidden_at.is_(None),
        or_(
            and_(_P.c.state == ProposalState.GATHERING, _P.c.gathering_ends_at > bindparam("now")),
            _P.c.state == ProposalState.REVIEW,
        ),
    )
    .values(gonggam_count=_P.c.gonggam_count + 1)
    .returning(_P.c.gonggam_count, _P.c.state)
)


def gonggam_target(proposal_id: int) -> GonggamTarget | None:
    row = db.session.execute(_TARGET, {"pid": proposal_id}).first()
    return GonggamTarget(*row) if row else None


def give_gonggam(proposal: Proposal | GonggamTarget, user: User) -> GonggamResult:
    """공감 once per person. The 공감 that reaches the board's threshold moves the
    proposal to 부서 검토 — exactly once, however many arrive at the same moment.

    The row goes in first (the unique key makes a second 공감 a no-op), then the
    counter moves only on a proposal still open, in the same transaction: the count
    always equals the rows."""
    spec = board(proposal.board)
    require_participant(user, spec.participation_level)
    if proposal.author_id == user.id:
        raise OperationError("자신의 제안에는 공감할 수 없습니다.", status=403)
    now = clock.now()
    values = {"proposal_id": proposal.id, "user_id": user.id, "created_at": now}
    if not insert_ignoring(db.session, Gonggam, values):
        return GonggamResult(_current_count(proposal.id), given=True)
    row = db.session.execute(_COUNT_UP, {"pid": proposal.id, "now": now}).first()
    if row is None:
        db.session.rollback()
        raise OperationError(
            "공감을 받을 수 없는 제안입니다. 모집 기간이 끝났거나 처리가 끝났습니다.", status=409
        )
    count, state = row
    moved = False
    # `>=`, not `==`: a threshold lowered by staff moves the proposal at its next 공감.
    if spec.review_by_gonggam and state == ProposalState.GATHERING:
        if count >= spec.review_threshold:
            moved = _start_review(proposal.id, spec, now)
    db.session.commit()
    return GonggamResult(count, given=True, moved_to_review=moved)


def _start_review(proposal_id: int, spec: BoardSpec, now: datetime) -> bool:
    threshold = spec.review_threshold
    result = db.session.execute(
        no_sync(
            update(Proposal)
            .where(
                Proposal.id == proposal_id,
                Proposal.state == ProposalState.GATHERING,
                Proposal.gonggam_count >= threshold,
            )
            .values(
                state=ProposalState.REVIEW,
                review_started_at=now,
                answer_due_at=now + timedelta(days=spec.setting("answer_days")),
                updated_at=now,
            )
        )
    )
    if result.rowcount != 1:
        return False
    proposal = db.session.get(Proposal, proposal_id)
    add_timeline_event(proposal.discussion_id, "review", None, f"공감 {threshold}명 달성")
    notify_followers(
        proposal.discussion_id,
        "review",
        "[온라인 관악청] 제안이 부서 검토를 시작합니다",
        f"'{proposal.title}' 제안에 공감이 {threshold}명을 넘어 {proposal.department}에서 검토합니다.",
    )
    return True


def take_back_gonggam(proposal: Proposal | GonggamTarget, user: User) -> GonggamResult:
    """Withdraw one's 공감, only while the proposal is still gathering."""
    require_participant(user, board(proposal.board).participation_level)
    removed = db.session.execute(
        delete(Gonggam).where(Gonggam.proposal_id == proposal.id, Gonggam.user_id == user.id)
    )
    if removed.rowcount != 1:
        db.session.rollback()
        return GonggamResult(_current_count(proposal.id), given=False)
    row = db.session.execute(
        no_sync(
            update(Proposal)
            .where(Proposal.id == proposal.id, Proposal.state == ProposalState.GATHERING)
            .values(gonggam_count=Proposal.gonggam_count - 1)
            .returning(Proposal.gonggam_count)
        )
    ).first()
    if row is None:
        db.session.rollback()
        raise OperationError("공감 모집이 끝난 제안은 공감을 취소할 수 없습니다.", status=409)
    db.session.commit()
    return GonggamResult(row[0], given=False)


def _current_count(proposal_id: int) -> int:
    return db.session.scalar(select(Proposal.gonggam_count).where(Proposal.id == proposal_id)) or 0


def has_gonggam(proposal_id: int, user: User | None) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return bool(
        db.session.scalar(
            select(exists().where(Gonggam.proposal_id == proposal_id, Gonggam.user_id == user.id))
        )
    )
