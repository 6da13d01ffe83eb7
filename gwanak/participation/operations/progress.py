"""추진상황: after 채택, the department reports how the proposal is being carried out,
in dated updates (추진중 … 완료); corrections are kept and shown like answers'."""

from __future__ import annotations

from sqlalchemy import or_, select, update

from gwanak.accounts.models import User
from gwanak.core import clock
from gwanak.core.audit import record_audit
from gwanak.core.extensions import db
from gwanak.core.operations import OperationError
from gwanak.participation.models import (
    PROGRESS_LABELS,
    Outcome,
    ProgressRevision,
    ProgressStatus,
    ProgressUpdate,
    Proposal,
    ProposalState,
)
from gwanak.participation.operations.common import add_timeline_event, checked_text, no_sync
from gwanak.participation.operations.following import notify_followers
from gwanak.participation.operations.routing import may_answer

PROGRESS_MAX = 2000
NOTE_MAX = 200


def _checked(proposal: Proposal, staff: User, status: str, body: str) -> tuple[str, str]:
    if not may_answer(staff, proposal):
        raise OperationError(
            "이 제안에 답변하는 부서의 직원만 추진상황을 올릴 수 있습니다.", status=403
        )
    try:
        status = ProgressStatus(status)
    except ValueError:
        raise OperationError("추진 상태를 고르세요.", field="status") from None
    return status, checked_text(body, "추진상황", PROGRESS_MAX, "body")


def add_progress(proposal: Proposal, staff: User, *, status: str, body: str) -> ProgressUpdate:
    """A dated 추진상황 on an adopted proposal; after 완료 none more (a correction of
    the 완료 update back to 추진중 reopens it). Commits."""
    status, body = _checked(proposal, staff, status, body)
    if proposal.state != ProposalState.ANSWERED or proposal.outcome != Outcome.ADOPTED:
        raise OperationError("채택된 제안에만 추진상황을 올릴 수 있습니다.", status=409)
    now = clock.now()
    # Conditional: of two updates racing a 완료, the second is refused.
    moved = db.session.execute(
        no_sync(
            update(Proposal)
            .where(
                Proposal.id == proposal.id,
                Proposal.outcome == Outcome.ADOPTED,
                or_(Proposal.progress.is_(None), Proposal.progress != ProgressStatus.DONE),
            )
            .values(progress=status, progress_at=now, updated_at=now)
        )
    ).rowcount
    if moved != 1:
        db.session.rollback()
        raise OperationError(
            "추진 완료된 제안에는 추진상황을 더 올릴 수 없습니다. "
            "다시 추진하려면 완료 보고를 '추진중'으로 고치세요.",
            status=409,
        )
    entry = ProgressUpdate(
        proposal_id=proposal.id, status=status, body=body, author_id=staff.id, created_at=now
    )
    db.session.add(entry)
    db.session.flush()
    add_timeline_event(proposal.discussion_id, "progress", staff.id, PROGRESS_LABELS[status])
    record_audit(
        "proposal.progress",
        "proposal",
        proposal.id,
        after={"status": str(status), "body": body},
        actor_id=staff.id,
    )
    notify_followers(
        proposal.discussion_id,
        "progress",
        "[온라인 관악청] 채택 제안의 추진상황이 올라왔습니다",
        f"'{proposal.title}' 제안의 추진상황({PROGRESS_LABELS[status]}): {_excerpt(body)}",
        actor_id=staff.id,
    )
    db.session.commit()
    return entry


def correct_progress(
    entry: ProgressUpdate, staff: User, *, status: str, body: str, note: str
) -> ProgressUpdate:
    """Correct a published 추진상황, saying why; the earlier text is kept and shown.
    Only the latest update's status can change (it is the proposal's status), so a
    완료 corrected to 추진중 reopens the proposal to updates. Commits."""
    proposal = db.session.get(Proposal, entry.proposal_id)
    status, body = _checked(proposal, staff, status, body)
    note = checked_text(note, "고친 까닭", NOTE_MAX, "note")
    if (status, body) == (entry.status, entry.body):
        raise OperationError("고친 내용이 없습니다. 추진상황을 고친 뒤 저장하세요.", field="body")
    latest = db.session.scalar(
        select(ProgressUpdate.id)
        .where(ProgressUpdate.proposal_id == proposal.id)
        .order_by(ProgressUpdate.id.desc())
        .limit(1)
    )
    if status != entry.status and entry.id != latest:
        raise OperationError(
            "가장 최근의 추진상황만 상태를 바꿀 수 있습니다.", field="status", status=409
        )
    now = clock.now()
    revision = ProgressRevision(
        update_id=entry.id,
        status=entry.status,
        body=entry.body,
        written_at=entry.revised_at or entry.created_at,
        corrected_at=now,
        corrected_by=staff.id,
        note=note,
    )
    same_version = (
        ProgressUpdate.revised_at.is_(None)
        if entry.revised_at is None
        else ProgressUpdate.revised_at == entry.revised_at
    )
    changed = db.session.execute(
        no_sync(
            update(ProgressUpdate)
            .where(ProgressUpdate.id == entry.id, same_version)
            .values(status=status, body=body, revised_at=now)
        )
    ).rowcount
    if changed != 1:
        db.session.rollback()
        raise OperationError(
            "다른 직원이 먼저 추진상황을 고쳤습니다. 새로 고쳐 확인하세요.", status=409
        )
    db.session.add(revision)
    if status != entry.status:
        db.session.execute(
            no_sync(
                update(Proposal)
                .where(Proposal.id == proposal.id)
                .values(progress=status, updated_at=now)
            )
        )
    add_timeline_event(proposal.discussion_id, "progress_corrected", staff.id, note)
    record_audit(
        "proposal.progress.correct",
        "proposal",
        proposal.id,
        before={"status": entry.status, "body": entry.body},
        after={"status": str(status), "body": body, "note": note},
        actor_id=staff.id,
    )
    notify_followers(
        proposal.discussion_id,
        "progress_corrected",
        "[온라인 관악청] 채택 제안의 추진상황이 수정되었습니다",
        f"'{proposal.title}' 제안의 추진상황이 수정되었습니다"
        f"({PROGRESS_LABELS[status]}). 고친 까닭: {note}",
        actor_id=staff.id,
    )
    db.session.commit()
    db.session.refresh(entry)
    return entry


def _excerpt(text: str, length: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1] + "…"
