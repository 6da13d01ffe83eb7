"""Moderation: reports (신고), hiding and restoring proposals and comments."""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from gwanak.accounts.models import User
from gwanak.core import clock
from gwanak.core.audit import record_audit
from gwanak.core.extensions import db
from gwanak.core.mail import mail_user
from gwanak.core.operations import OperationError
from gwanak.core.search_index import index_item, unindex_item
from gwanak.participation.models import (
    Comment,
    Proposal,
    ProposalState,
    Report,
    search_kind,
)
from gwanak.participation.operations.comments import count_visible_comment, uncount_visible_comment
from gwanak.participation.operations.common import (
    REASON_MAX,
    add_timeline_event,
    checked_text,
    no_sync,
    resolve_reports,
)
from gwanak.participation.operations.following import notify_followers
from gwanak.participation.queries import forget_card_stats


def report_item(target_type: str, target_id: int, reporter: User, reason: str) -> Report:
    """신고: one per person and item; staff see it in the reports queue."""
    if reporter is None or not getattr(reporter, "is_authenticated", False):
        raise OperationError("로그인한 뒤에 신고할 수 있습니다.", status=401)
    reason = checked_text(reason, "신고 사유", REASON_MAX, "reason")
    report = Report(
        target_type=target_type,
        target_id=target_id,
        reporter_id=reporter.id,
        reason=reason,
        created_at=clock.now(),
    )
    db.session.add(report)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise OperationError("이미 신고한 글입니다. 담당자가 확인합니다.", status=409) from None
    return report


def _switch_hidden(item: Proposal | Comment, staff: User, reason: str, *, hide: bool) -> str:
    """Hide or restore a proposal or comment (the data always stays), with its audit
    entry and, on hiding, its reports resolved. Returns the checked reason; the caller
    adds what differs (timeline, counts, mail) and commits."""
    model = type(item)
    kind, noun = ("proposal", "제안") if model is Proposal else ("comment", "댓글")
    reason = checked_text(reason, "숨김 사유" if hide else "해제 사유", REASON_MAX, "reason")
    result = db.session.execute(
        no_sync(
            update(model)
            .where(
                model.id == item.id,
                model.hidden_at.is_(None) if hide else model.hidden_at.is_not(None),
            )
            .values(hidden_at=clock.now() if hide else None, hidden_reason=reason if hide else None)
        )
    )
    if result.rowcount != 1:
        db.session.rollback()
        raise OperationError(
            f"이미 숨긴 {noun}입니다." if hide else f"숨겨진 {noun}이 아닙니다.", status=409
        )
    if hide:
        resolve_reports(kind, item.id, "hidden")
    record_audit(
        f"{kind}.{'hide' if hide else 'restore'}",
        kind,
        item.id,
        before={"hidden": not hide},
        after={"hidden": hide, "reason": reason},
        actor_id=staff.id,
    )
    return reason


def hide_proposal(proposal: Proposal, staff: User, reason: str) -> None:
    reason = _switch_hidden(proposal, staff, reason, hide=True)
    unindex_item(search_kind(proposal.board), proposal.id, proposal.title, proposal.body)
    forget_card_stats(proposal.board)
    add_timeline_event(proposal.discussion_id, "hidden", staff.id, reason)
    mail_user(
        db.session.get(User, proposal.author_id),
        "[온라인 관악청] 제안이 숨김 처리되었습니다",
        f"'{proposal.title}' 제안이 관리자에 의해 숨김 처리되었습니다. 사유: {reason}",
    )
    # Followers learn that and why, not what was hidden (not even the title); the
    # author has the mail above instead.
    notify_followers(
        proposal.discussion_id,
        "hidden",
        "[온라인 관악청] 알림 받던 제안이 숨김 처리되었습니다",
        f"알림 받던 제안이 관리자에 의해 숨김 처리되었습니다. 사유: {reason}",
        actor_id=proposal.author_id,
    )
    db.session.commit()
    db.session.refresh(proposal)


def restore_proposal(proposal: Proposal, staff: User, reason: str) -> None:
    reason = _switch_hidden(proposal, staff, reason, hide=False)
    forget_card_stats(proposal.board)
    if proposal.state != ProposalState.WITHDRAWN:
        index_item(search_kind(proposal.board), proposal.id, proposal.title, proposal.body)
    add_timeline_event(proposal.discussion_id, "restored", staff.id, reason)
    db.session.commit()
    db.session.refresh(proposal)


def hide_comment(comment: Comment, staff: User, reason: str) -> None:
    _switch_hidden(comment, staff, reason, hide=True)
    if comment.deleted_at is None:  # a hidden comment leaves the counts
        uncount_visible_comment(comment)
    db.session.commit()
    db.session.refresh(comment)


def restore_comment(comment: Comment, staff: User, reason: str) -> None:
    _switch_hidden(comment, staff, reason, hide=False)
    if comment.deleted_at is None:
        count_visible_comment(comment.discussion_id, comment.author_id)
    db.session.commit()
    db.session.refresh(comment)


def dismiss_reports(target_type: str, target_id: int, staff: User) -> None:
    resolve_reports(target_type, target_id, "dismissed")
    record_audit("report.dismiss", target_type, target_id, actor_id=staff.id)
    db.session.commit()
