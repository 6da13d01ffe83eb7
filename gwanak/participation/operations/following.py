"""Following a subject (a proposal, an agenda…) and the notifications it brings.

Following is kept per discussion, so every subject kind the engine serves can be
followed. `notify_followers` is the one call for "something happened on this subject":
a row in each follower's 내 알림 and a mail (through `mail_user`). The engine calls it
on its own transitions; a menu (the agendas of policy.asks) calls it on its own, so no
menu needs to know another.
"""

from __future__ import annotations

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError

from gwanak.accounts.models import User
from gwanak.core import clock
from gwanak.core.extensions import db
from gwanak.core.mail import mail_user, public_url
from gwanak.core.operations import OperationError
from gwanak.participation.models import Discussion, Follow, Notification
from gwanak.participation.operations.common import no_sync, require_participant

NOTIFICATION_TEXT_MAX = 300


def is_following(discussion_id: int, user) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return (
        db.session.scalar(
            select(Follow.id).where(
                Follow.discussion_id == discussion_id, Follow.user_id == user.id
            )
        )
        is not None
    )


def add_follow(discussion_id: int, user_id: int) -> None:
    """Make a person follow a discussion (once). A step: in the caller's transaction."""
    if db.session.scalar(
        select(Follow.id).where(Follow.discussion_id == discussion_id, Follow.user_id == user_id)
    ):
        return
    db.session.add(Follow(discussion_id=discussion_id, user_id=user_id, created_at=clock.now()))


def follow(discussion: Discussion, user) -> bool:
    """A resident follows a subject. Following twice changes nothing. Commits.
    Returns whether a new follow was recorded."""
    require_participant(user)
    db.session.add(Follow(discussion_id=discussion.id, user_id=user.id, created_at=clock.now()))
    try:
        db.session.commit()
    except IntegrityError:
        # Already following (a double click, another tab): the unique row says so.
        db.session.rollback()
        return False
    return True


def unfollow(discussion: Discussion, user) -> bool:
    """Stop following; returns whether there was something to stop. Commits."""
    require_participant(user)
    removed = db.session.execute(
        delete(Follow).where(Follow.discussion_id == discussion.id, Follow.user_id == user.id)
    ).rowcount
    db.session.commit()
    return removed == 1


def notify_followers(
    discussion_id: int, event: str, subject: str, text: str, *, actor_id: int | None = None
) -> set[int]:
    """Tell every follower of the subject (but the person who acted) what happened: a
    notification row each, and a mail. A step: in the caller's transaction, so a
    refused action notifies nobody. Returns the ids of the people notified."""
    followers = db.session.scalars(
        select(User)
        .join(Follow, Follow.user_id == User.id)
        .where(Follow.discussion_id == discussion_id, User.deleted_at.is_(None))
        .order_by(User.id)
    ).all()
    now = clock.now()
    text = text[:NOTIFICATION_TEXT_MAX]
    body = f"{text}\n\n내 알림에서 보기: {public_url('participation.notifications')}"
    notified = set()
    for user in followers:
        if user.id == actor_id:
            continue
        db.session.add(
            Notification(
                user_id=user.id, discussion_id=discussion_id, event=event, text=text, created_at=now
            )
        )
        mail_user(user, subject, body)
        notified.add(user.id)
    return notified


def unread_count(user) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
    )


def mark_read(notification: Notification, user) -> None:
    """Mark one of one's notifications read (again: nothing changes). Commits."""
    if user is None or not getattr(user, "is_authenticated", False):
        raise OperationError("로그인해야 알림을 볼 수 있습니다.", status=401)
    if notification.user_id != user.id:
        raise OperationError("다른 사람의 알림입니다.", status=403)
    db.session.execute(
        no_sync(
            update(Notification)
            .where(Notification.id == notification.id, Notification.read_at.is_(None))
            .values(read_at=clock.now())
        )
    )
    db.session.commit()


def mark_all_read(user) -> int:
    """Mark all of one's notifications read; returns how many were unread. Commits."""
    if user is None or not getattr(user, "is_authenticated", False):
        raise OperationError("로그인해야 알림을 볼 수 있습니다.", status=401)
    count = db.session.execute(
        no_sync(
            update(Notification)
            .where(Notification.user_id == user.id, Notification.read_at.is_(None))
            .values(read_at=clock.now())
        )
    ).rowcount
    db.session.commit()
    return count
