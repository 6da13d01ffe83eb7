"""Answers: the department's answer to a proposal under review, and the mayor's."""

from __future__ import annotations

from sqlalchemy import select, update

from gwanak.accounts.models import Role, User
from gwanak.core import clock
from gwanak.core.audit import record_audit
from gwanak.core.extensions import db
from gwanak.core.mail import mail_user
from gwanak.core.operations import OperationError
from gwanak.participation.boards import board
from gwanak.participation.models import (
    Answer,
    AnswerRevision,
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
from gwanak.participation.operations.following import notify_followers
from gwanak.participation.operations.routing import may_answer
from gwanak.participation.queries import forget_card_stats
from gwanak.participation.subjects import subject_of


def record_answer(
    proposal: Proposal, staff: User, *, outcome: str, body: str, reason: str | None = None
) -> Answer:
    """The department answers a proposal under review; the answer is published on it.

    A step: in the caller's transaction (`answer_proposal` commits it; the budget board
    publishes its vote result with it)."""
    outcome, body, reason = _checked_answer(outcome, body, reason)
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
    notify_followers(
        proposal.discussion_id,
        "answered",
        "[온라인 관악청] 제안에 부서 답변이 등록되었습니다",
        f"'{proposal.title}' 제안에 {proposal.department}의 답변({OUTCOME_NOTE[outcome]})이 등록되었습니다.",
        actor_id=staff.id,
    )
    return answer


def _checked_answer(outcome, body, reason) -> tuple[Outcome, str, str | None]:
    try:
        outcome = Outcome(outcome)
    except ValueError:
        raise OperationError("처리 결과를 고르세요.", field="outcome") from None
    body = checked_text(body, "답변", ANSWER_MAX, "body")
    reason = (reason or "").strip() or None
    if outcome == Outcome.OTHER and not reason:
        raise OperationError("'기타'를 고르면 사유를 적어야 합니다.", field="reason")
    if reason and len(reason) > REASON_MAX:
        raise OperationError(f"사유는 {REASON_MAX}자 이하로 입력하세요.", field="reason")
    return outcome, body, reason


def answer_proposal(proposal: Proposal, staff: User, **answer) -> Answer:
    """The department's answer (outcome, body, reason as `record_answer`). Commits.

    Only staff of the 담당 부서, the coordinator's staff or an admin answer."""
    if not may_answer(staff, proposal):
        raise OperationError(
            f"담당 부서({proposal.department}) 직원만 이 제안에 답변할 수 있습니다.", status=403
        )
    recorded = record_answer(proposal, staff, **answer)
    db.session.commit()
    return recorded


OUTCOME_NOTE = {
    Outcome.ADOPTED: "채택",
    Outcome.REFERENCE: "행정참고",
    Outcome.REJECTED: "불채택",
    Outcome.OTHER: "기타",
}


def leave_mayor_queue(discussion_id: int, reason: str, actor_id: int | None) -> bool:
    """Take a subject its owner withdrew out of the mayor's queue, the reason on its
    timeline; an answered one keeps its answer. A step (the caller commits); whether it
    was waiting."""
    result = db.session.execute(
        no_sync(
            update(Discussion)
            .where(Discussion.id == discussion_id, Discussion.mayor_state == MayorState.QUEUED)
            .values(mayor_state=None, mayor_due_at=None)
        )
    )
    if result.rowcount != 1:
        return False
    add_timeline_event(discussion_id, "mayor_dropped", actor_id, reason)
    return True


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
    mail_subject = "[온라인 관악청] 구청장 답변이 등록되었습니다"
    text = f"'{subject.title(discussion)}'에 구청장 답변이 등록되었습니다."
    notified = notify_followers(discussion.id, "mayor_answered", mail_subject, text)
    author = subject.author(discussion)
    if author is not None and author.id not in notified:
        # The subject's author hears of the mayor's answer even after unfollowing.
        mail_user(author, mail_subject, text)
    db.session.commit()
    return answer


CORRECTION_NOTE_MAX = 200


def proposal_of_answer(answer: Answer) -> Proposal | None:
    return db.session.scalar(select(Proposal).where(Proposal.discussion_id == answer.discussion_id))


def correct_answer(
    answer: Answer,
    staff: User,
    *,
    body: str,
    note: str,
    outcome: str | None = None,
    reason: str | None = None,
) -> Answer:
    """The answering department corrects its published answer, saying why.

    The version it replaces is kept (AnswerRevision) and shown with the answer, which
    is marked 수정됨; the timeline, the audit log and the followers hear of it. The
    outcome may change on boards whose answer is the department's own decision; a
    board whose result comes from its own process (the budget board's vote) keeps it,
    and an adopted proposal with 추진상황 stays adopted. Commits."""
    proposal = proposal_of_answer(answer) if answer.kind == "department" else None
    if proposal is None:
        raise OperationError("고칠 수 있는 부서 답변이 아닙니다.", status=404)
    if not may_answer(staff, proposal):
        raise OperationError(
            "이 제안에 답변하는 부서의 직원만 답변을 고칠 수 있습니다.", status=403
        )
    new_outcome, body, reason = _checked_answer(outcome or answer.outcome, body, reason)
    note = checked_text(note, "고친 까닭", CORRECTION_NOTE_MAX, "note")
    _check_outcome_change(proposal, Outcome(answer.outcome), new_outcome)
    if (body, new_outcome, reason) == (answer.body, answer.outcome, answer.reason):
        raise OperationError("고친 내용이 없습니다. 답변을 고친 뒤 저장하세요.", field="body")
    now = clock.now()
    before = {"outcome": answer.outcome, "reason": answer.reason, "body": answer.body}
    revision = AnswerRevision(
        answer_id=answer.id,
        written_at=answer.revised_at or answer.created_at,
        corrected_at=now,
        corrected_by=staff.id,
        note=note,
        **before,
    )
    # Two corrections at once: the version check lets one through; the other is told.
    same_version = (
        Answer.revised_at.is_(None)
        if answer.revised_at is None
        else Answer.revised_at == answer.revised_at
    )
    changed = db.session.execute(
        no_sync(
            update(Answer)
            .where(Answer.id == answer.id, same_version)
            .values(body=body, outcome=new_outcome, reason=reason, revised_at=now)
        )
    ).rowcount
    if changed != 1:
        db.session.rollback()
        raise OperationError(
            "다른 직원이 먼저 답변을 고쳤습니다. 새로 고쳐 확인하세요.", status=409
        )
    db.session.add(revision)
    if new_outcome != answer.outcome:
        db.session.execute(
            no_sync(
                update(Proposal)
                .where(Proposal.id == proposal.id)
                .values(outcome=new_outcome, updated_at=now)
            )
        )
        forget_card_stats(proposal.board)
    add_timeline_event(proposal.discussion_id, "answer_corrected", staff.id, note)
    record_audit(
        "proposal.answer.correct",
        "proposal",
        proposal.id,
        before=before,
        after={"outcome": str(new_outcome), "reason": reason, "body": body, "note": note},
        actor_id=staff.id,
    )
    notify_followers(
        proposal.discussion_id,
        "answer_corrected",
        "[온라인 관악청] 부서 답변이 수정되었습니다",
        f"'{proposal.title}' 제안에 대한 {proposal.department}의 답변이 수정되었습니다. 고친 까닭: {note}",
        actor_id=staff.id,
    )
    db.session.commit()
    db.session.refresh(answer)
    return answer


def _check_outcome_change(proposal: Proposal, before: Outcome, after: Outcome) -> None:
    if after == before:
        return
    if not board(proposal.board).review_by_gonggam:
        raise OperationError(
            "이 게시판의 처리 결과는 정해진 절차로 결정되어 바꿀 수 없습니다. 답변 내용만 고칠 수 있습니다.",
            field="outcome",
            status=409,
        )
    if proposal.progress is not None:
        raise OperationError(
            "추진상황이 올라온 채택 제안은 처리 결과를 바꿀 수 없습니다.",
            field="outcome",
            status=409,
        )
