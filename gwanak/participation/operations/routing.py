"""Routing: who answers a proposal. It reaches review in its board's owner department
(the coordinator, 주관 부서); the coordinator hands it to a responsible department
(담당 부서), optionally with 협조 부서, giving a short public reason — or answers
itself. The answer deadline counts from reaching review and never moves with a
hand-over."""

from __future__ import annotations

from sqlalchemy import update

from gwanak.accounts.models import User
from gwanak.accounts.organisation import current_name, department_staff, require_active
from gwanak.core import clock
from gwanak.core.audit import record_audit
from gwanak.core.extensions import db
from gwanak.core.mail import mail_user
from gwanak.core.operations import OperationError
from gwanak.participation.boards import board
from gwanak.participation.models import Proposal, ProposalState
from gwanak.participation.operations.common import add_timeline_event, checked_text, no_sync

ROUTING_REASON_MAX = 200
COOPERATING_MAX = 5


def coordinator_of(proposal: Proposal) -> str:
    """주관 부서: the board's owner (menus.json), under the name it has today."""
    return current_name(board(proposal.board).owner_department) or ""


def _office_staff(user: User | None) -> bool:
    return bool(
        user is not None
        and getattr(user, "is_authenticated", False)
        and user.role == "staff"
        and user.department
        and not user.office_dong
    )


def may_route(user: User | None, proposal: Proposal) -> bool:
    """The coordinator's staff (and admins) hand a proposal on."""
    if user is not None and getattr(user, "is_admin", False):
        return True
    return _office_staff(user) and user.department == coordinator_of(proposal)


def may_answer(user: User | None, proposal: Proposal) -> bool:
    """Staff of the 담당 부서, the coordinator's staff, and admins answer."""
    if may_route(user, proposal):
        return True
    return _office_staff(user) and user.department == proposal.department


def assign_proposal(
    proposal: Proposal,
    actor: User,
    *,
    department: str,
    reason: str,
    cooperating: list[str] | tuple[str, ...] = (),
) -> Proposal:
    """The coordinator hands a proposal under review to `department` (with 협조 부서),
    with a public reason; the timeline shows '담당 부서 변경'. Commits."""
    if not may_route(actor, proposal):
        raise OperationError(
            f"주관 부서({coordinator_of(proposal)}) 직원만 담당 부서를 정할 수 있습니다.",
            status=403,
        )
    if proposal.state != ProposalState.REVIEW:
        raise OperationError("부서 검토 중인 제안만 담당 부서를 정할 수 있습니다.", status=409)
    target = require_active(department, "department").name
    helpers = _cooperating(cooperating, target)
    if target == proposal.department and helpers == (proposal.cooperating or []):
        raise OperationError(f"이미 {target}에서 담당하고 있습니다.", field="department")
    reason = checked_text(reason, "변경 사유", ROUTING_REASON_MAX, "reason")
    before = {"department": proposal.department, "cooperating": proposal.cooperating or []}
    result = db.session.execute(
        no_sync(
            update(Proposal)
            .where(
                Proposal.id == proposal.id,
                Proposal.state == ProposalState.REVIEW,
                Proposal.department == proposal.department,
            )
            .values(department=target, cooperating=helpers or None, updated_at=clock.now())
        )
    )
    if result.rowcount != 1:
        db.session.rollback()
        raise OperationError(
            "그사이 제안의 상태나 담당 부서가 바뀌었습니다. 다시 확인하세요.", status=409
        )
    note = f"{before['department']} → {target}"
    if helpers:
        note += f" (협조: {', '.join(helpers)})"
    add_timeline_event(proposal.discussion_id, "reassigned", actor.id, f"{note}. {reason}")
    record_audit(
        "proposal.reassign",
        "proposal",
        proposal.id,
        before=before,
        after={"department": target, "cooperating": helpers, "reason": reason},
        actor_id=actor.id,
    )
    due = (
        clock.to_kst(proposal.answer_due_at).strftime("%Y-%m-%d") if proposal.answer_due_at else ""
    )
    for staff in department_staff(target):
        mail_user(
            staff,
            f"[온라인 관악청] 담당 제안 배정: {proposal.title}",
            f"'{proposal.title}' 제안이 {target}에 배정되었습니다. 답변 기한은 {due}입니다.",
        )
    db.session.commit()
    db.session.refresh(proposal)
    return proposal


def _cooperating(names, target: str) -> list[str]:
    helpers: list[str] = []
    for name in names or ():
        name = (name or "").strip()
        if not name or name == target or name in helpers:
            continue
        helpers.append(require_active(name, "cooperating").name)
    if len(helpers) > COOPERATING_MAX:
        raise OperationError(
            f"협조 부서는 {COOPERATING_MAX}곳까지 정할 수 있습니다.", field="cooperating"
        )
    return helpers
