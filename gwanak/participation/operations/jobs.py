"""Scheduled jobs (flask gwanak …): expiring stale proposals, answer reminders."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, select, update

from gwanak.accounts.organisation import department_staff
from gwanak.core import clock
from gwanak.core.extensions import db
from gwanak.core.mail import mail_user
from gwanak.participation.boards import (
    board,
    boards,
)
from gwanak.participation.models import (
    Comment,
    Notification,
    Proposal,
    ProposalState,
)
from gwanak.participation.operations.common import (
    add_timeline_event,
    no_sync,
)
from gwanak.participation.operations.following import notify_followers


def expire_stale_proposals() -> int:
    """Close as 기간 만료 every proposal whose 공감 period ended before review, on the
    boards whose review starts from 공감 (budget proposals run their own phases)."""
    now = clock.now()
    gonggam_boards = [slug for slug, spec in boards().items() if spec.review_by_gonggam]
    rows = db.session.execute(
        no_sync(
            update(Proposal)
            .where(
                Proposal.board.in_(gonggam_boards),
                Proposal.state == ProposalState.GATHERING,
                Proposal.gathering_ends_at <= now,
            )
            .values(state=ProposalState.EXPIRED, updated_at=now)
            .returning(Proposal.id, Proposal.discussion_id, Proposal.author_id, Proposal.title)
        )
    ).all()
    for _id, discussion_id, _author_id, title in rows:
        add_timeline_event(discussion_id, "expired", None)
        notify_followers(
            discussion_id,
            "expired",
            "[온라인 관악청] 제안의 공감 모집 기간이 끝났습니다",
            f"'{title}' 제안은 모집 기간 안에 공감 기준에 이르지 못해 기간 만료로 종료되었습니다.",
        )
    db.session.commit()
    return len(rows)


def send_answer_reminders() -> int:
    """Tell the 담당 부서's staff, once per proposal, that an answer falls due soon (a
    proposal handed on is reminded to the department it was handed to)."""
    now = clock.now()
    sent = 0
    candidates = db.session.scalars(
        select(Proposal).where(
            Proposal.state == ProposalState.REVIEW,
            Proposal.reminder_sent_at.is_(None),
            Proposal.hidden_at.is_(None),
        )
    ).all()
    for proposal in candidates:
        days = board(proposal.board).setting("reminder_days")
        if proposal.answer_due_at is None or proposal.answer_due_at - timedelta(days=days) > now:
            continue
        claimed = db.session.execute(
            no_sync(
                update(Proposal)
                .where(Proposal.id == proposal.id, Proposal.reminder_sent_at.is_(None))
                .values(reminder_sent_at=now)
            )
        )
        if claimed.rowcount != 1:
            continue
        due = clock.to_kst(proposal.answer_due_at).strftime("%Y-%m-%d")
        for staff in department_staff(proposal.department):
            mail_user(
                staff,
                f"[온라인 관악청] 답변 기한 알림: {proposal.title}",
                f"'{proposal.title}' 제안의 답변 기한은 {due}입니다. 기한 안에 답변해 주세요.",
            )
        sent += 1
    db.session.commit()
    return sent


# 내 알림 keeps a year; older lines are read or forgotten, and the subject keeps its timeline.
KEEP_NOTIFICATIONS = timedelta(days=365)
# A form's one-time token only guards against a double submit or an htmx retry.
KEEP_CLIENT_TOKENS = timedelta(days=1)


def prune_old_records() -> dict[str, int]:
    """Delete notifications older than a year and forget spent one-time form tokens.
    Idempotent; commits."""
    now = clock.now()
    notifications = db.session.execute(
        delete(Notification).where(Notification.created_at < now - KEEP_NOTIFICATIONS)
    ).rowcount
    tokens = 0
    for model in (Proposal, Comment):
        tokens += db.session.execute(
            no_sync(
                update(model)
                .where(
                    model.client_token.is_not(None),
                    model.created_at < now - KEEP_CLIENT_TOKENS,
                )
                .values(client_token=None)
            )
        ).rowcount
    db.session.commit()
    return {"지난 알림": notifications, "일회용 토큰": tokens}
