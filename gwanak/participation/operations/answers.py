"""Answers: the department's answer to a proposal under review, and the mayor's."""

from __future__ import annotations

from sqlalchemy import update

from gwanak.accounts.models import Role, User
from gwanak.core import clock
from gwanak.core.audit import record_audit
from gwanak.core.extensions import db
from gwanak.core.mail import mail_user
from gwanak.core.operations import OperationError
from gwanak.participation.models import (
    Answer,
    Discussion,
    MayorState,
    Outcome,
    Proposal,
    ProposalState,
)
from gwanak.participation.operations.common import (
    ANSWER_MAX,
    REASON_MAX,
    add_timeline_event,
    checked_text,
    no_sync,
)
from gwanak.participation.queries import forget_card_stats
from gwanak.participation.subjects import subject_of


def record_answer(
    proposal: Proposal, staff: User, *, outcome: str, body: str, reason: str | None = None
) -> Answer:
    """The department answers a proposal under review; the answer is published on it.

    A step: in the caller's transaction (`answer_proposal` commits it; the budget board
    publishes its vote result with it)."""
    outcome = Outcome(outcome)
    body = checked_text(body, "답변", ANSWER_MAX, "body")
    reason = (reason or "").strip() or None
    if outcome == Outcome.OTHER and not reason:
        raise OperationError("'기타'를 고르면 사유를 적어야 합니다.", field="reason")
    if reason and len(reason) > REASON_MAX:
        raise OperationError(f"사유는 {REASON_MAX}자 이하로 입력하세요.", field="reason")
    now = clock.now()
    result = db.session.execute(
        no_sync(
            update(Proposal)
            .where(Proposal.id == proposal.id, Proposal.state == ProposalState.REVIEW)
            .values(state=ProposalState.ANSWERED, outcome=outcome, answered_at=now, updated_at=now)
        )
    )
    if result.rowcount != 1:
        db.session.rollback()
        raise OperationError("부서 검토 중인 제안에만 답변할 수 있습니다.", status=409)
    forget_card_stats(proposal.board)
    answer = Answer(
        discussion_id=proposal.discussion_id,
        kind="department",
        department=proposal.department,
        outcome=outcome,
        reason=reason,
        body=body,
        author_id=staff.id,
        created_at=now,
    )
    db.session.add(answer)
    add_timeline_event(proposal.discussion_id, "answered", staff.id, OUTCOME_NOTE[outcome])
    record_audit(
        "proposal.answer",
        "proposal",
        proposal.id,
        before={"state": ProposalState.REVIEW},
        after={"state": ProposalState.ANSWERED, "outcome": str(outcome), "reason": reason},
        actor_id=staff.id,
    )
    mail_user(
        db.session.get(User, proposal.author_id),
        "[온라인 관악청] 제안에 부서 답변이 등록되었습니다",
        f"'{proposal.title}' 제안에 {proposal.department}의 답변({OUTCOME_NOTE[outcome]})이 등록되었습니다.",
    )
    return answer


def answer_proposal(proposal: Proposal, staff: User, **answer) -> Answer:
    """The department's answer (outcome, body, reason as `record_answer`). Commits."""
    recorded = record_answer(proposal, staff, **answer)
    db.session.commit()
    return recorded


OUTCOME_NOTE = {
    Outcome.ADOPTED: "채택",
    Outcome.REFERENCE: "행정참고",
    Outcome.REJECTED: "불채택",
    Outcome.OTHER: "기타",
}


def mayor_answer(discussion: Discussion, mayor: User, body: str) -> Answer:
    """The mayor answers a subject in the mayor's queue."""
    if mayor.role != Role.MAYOR:
        raise OperationError("구청장만 구청장 답변을 쓸 수 있습니다.", status=403)
    body = checked_text(body, "답변", ANSWER_MAX, "body")
    now = clock.now()
    result = db.session.execute(
        no_sync(
            update(Discussion)
            .where(Discussion.id == discussion.id, Discussion.mayor_state == MayorState.QUEUED)
            .values(mayor_state=MayorState.ANSWERED, mayor_answered_at=now)
        )
    )
    if result.rowcount != 1:
        db.session.rollback()
        raise OperationError("구청장 답변 대상이 아니거나 이미 답변했습니다.", status=409)
    answer = Answer(
        discussion_id=discussion.id, kind="mayor", body=body, author_id=mayor.id, created_at=now
    )
    db.session.add(answer)
    add_timeline_event(discussion.id, "mayor_answered", mayor.id)
    record_audit(
        "discussion.mayor_answer",
        "discussion",
        discussion.id,
        after={"body": body},
        actor_id=mayor.id,
    )
    subject = subject_of(discussion)
    mail_user(
        subject.author(discussion),
        "[온라인 관악청] 구청장 답변이 등록되었습니다",
        f"'{subject.title(discussion)}'에 구청장 답변이 등록되었습니다.",
    )
    db.session.commit()
    return answer
