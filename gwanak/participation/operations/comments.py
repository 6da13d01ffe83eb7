"""Discussions and their comments: open a thread, post, edit and delete a comment, and
the exact counts of comments and commenters that send a subject to the mayor."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import bindparam, delete, exists, select, update

from gwanak.accounts.models import Role, User
from gwanak.core import clock
from gwanak.core.extensions import db
from gwanak.core.mail import mail_user
from gwanak.core.masking import contains_personal_data
from gwanak.core.operations import OperationError
from gwanak.core.sql import insert_ignoring
from gwanak.participation.boards import (
    mayor_days_for,
    mayor_threshold_for,
    participation_level_for,
)
from gwanak.participation.models import (
    Comment,
    Discussion,
    DiscussionParticipant,
    MayorState,
)
from gwanak.participation.operations.common import (
    COMMENT_MAX,
    add_once,
    add_timeline_event,
    checked_text,
    no_sync,
    require_participant,
    resolve_reports,
)
from gwanak.participation.operations.following import notify_followers
from gwanak.participation.subjects import subject_of


def open_discussion(subject_type: str, rules: str, owner_department: str | None) -> Discussion:
    """Create the comment thread of a new subject (flushed, not committed)."""
    discussion = Discussion(
        subject_type=subject_type,
        rules=rules,
        owner_department=owner_department,
        created_at=clock.now(),
    )
    db.session.add(discussion)
    db.session.flush()
    return discussion


def post_comment(
    discussion: Discussion,
    author: User,
    body: str,
    *,
    parent_id: int | None = None,
    client_token: str | None = None,
) -> Comment:
    """Add a comment (or a reply to a top-level comment).

    Distinct commenters are counted exactly once per person; the comment that brings
    them to the mayor-answer threshold queues the subject for the mayor, exactly once.
    """
    require_participant(author, participation_level_for(discussion.rules))
    body = checked_text(body, "댓글", COMMENT_MAX, "body")
    reason = subject_of(discussion).closed_reason(discussion)
    if reason:
        raise OperationError(reason, status=409)
    if parent_id is not None:
        parent = db.session.get(Comment, parent_id)
        if parent is None or parent.discussion_id != discussion.id:
            raise OperationError("답글을 달 댓글을 찾을 수 없습니다.", status=404)
        if parent.parent_id is not None:
            parent_id = parent.parent_id  # one level of replies
        if not parent.visible:
            raise OperationError("삭제되었거나 숨겨진 댓글에는 답글을 달 수 없습니다.", status=409)
    comment = Comment(
        discussion_id=discussion.id,
        author_id=author.id,
        parent_id=parent_id,
        body=body,
        created_at=clock.now(),
        flagged_personal_data=contains_personal_data(body),
        client_token=client_token,
    )
    # A double submit (the same form token) is caught by the token's unique key rather
    # than looked up first: a query saved on every comment, a rollback on the rare repeat.
    if (stored := add_once(comment, client_token)) is not comment:
        return stored
    count_visible_comment(discussion.id, author.id)
    db.session.commit()
    return comment


# Every comment runs these two: built once, bound at each use.
_D = Discussion.__table__
_ONE_MORE_COMMENT = (
    update(_D).where(_D.c.id == bindparam("did")).values(comment_count=_D.c.comment_count + 1)
)
_ONE_MORE_COMMENTER = (
    update(_D)
    .where(_D.c.id == bindparam("did"))
    .values(commenter_count=_D.c.commenter_count + 1)
    .returning(_D.c.commenter_count, _D.c.rules)
)


def count_visible_comment(discussion_id: int, user_id: int) -> None:
    # The discussion row is updated first: its row lock orders concurrent count changes.
    db.session.execute(_ONE_MORE_COMMENT, {"did": discussion_id})
    if _insert_participant(discussion_id, user_id):
        commenters, rules = db.session.execute(_ONE_MORE_COMMENTER, {"did": discussion_id}).one()
        _maybe_queue_for_mayor(discussion_id, commenters, rules)


def _insert_participant(discussion_id: int, user_id: int) -> bool:
    """INSERT … ON CONFLICT DO NOTHING; True when this person is a new commenter."""
    values = {"discussion_id": discussion_id, "user_id": user_id}
    return insert_ignoring(db.session, DiscussionParticipant, values)


def _maybe_queue_for_mayor(discussion_id: int, commenters: int, rules: str) -> None:
    threshold = mayor_threshold_for(rules)
    if commenters < threshold:
        return
    now = clock.now()
    result = db.session.execute(
        no_sync(
            update(Discussion)
            .where(
                Discussion.id == discussion_id,
                Discussion.mayor_state.is_(None),
                Discussion.commenter_count >= threshold,
            )
            .values(
                mayor_state=MayorState.QUEUED,
                mayor_queued_at=now,
                mayor_due_at=now + timedelta(days=mayor_days_for(rules)),
            )
        )
    )
    if result.rowcount != 1:
        return
    add_timeline_event(discussion_id, "mayor_queued", None, f"댓글 참여자 {commenters}명")
    discussion = db.session.get(Discussion, discussion_id)
    subject = subject_of(discussion)
    title = subject.title(discussion)
    mail_subject = "[온라인 관악청] 구청장 답변 대상이 되었습니다"
    text = f"'{title}'에 댓글 참여자가 {commenters}명이 되어 구청장이 직접 답변합니다."
    notified = notify_followers(discussion_id, "mayor_queued", mail_subject, text)
    author = subject.author(discussion)
    if author is not None and author.id not in notified:
        mail_user(author, mail_subject, text)
    for mayor in db.session.scalars(
        select(User).where(User.role == Role.MAYOR, User.deleted_at.is_(None))
    ):
        mail_user(
            mayor,
            "[온라인 관악청] 구청장 답변 요청",
            f"'{title}'이(가) 댓글 참여자 {commenters}명으로 구청장 답변 대상이 되었습니다.",
        )


def uncount_visible_comment(comment: Comment) -> None:
    """A visible comment leaves the counts (deleted or hidden)."""
    db.session.execute(
        no_sync(
            update(Discussion)
            .where(Discussion.id == comment.discussion_id)
            .values(comment_count=Discussion.comment_count - 1)
        )
    )
    still_visible = db.session.scalar(
        select(
            exists().where(
                Comment.discussion_id == comment.discussion_id,
                Comment.author_id == comment.author_id,
                Comment.id != comment.id,
                Comment.deleted_at.is_(None),
                Comment.hidden_at.is_(None),
            )
        )
    )
    if still_visible:
        return
    removed = db.session.execute(
        delete(DiscussionParticipant).where(
            DiscussionParticipant.discussion_id == comment.discussion_id,
            DiscussionParticipant.user_id == comment.author_id,
        )
    )
    if removed.rowcount == 1:
        db.session.execute(
            no_sync(
                update(Discussion)
                .where(Discussion.id == comment.discussion_id)
                .values(commenter_count=Discussion.commenter_count - 1)
            )
        )


def edit_comment(comment: Comment, user: User, body: str) -> Comment:
    if comment.author_id != getattr(user, "id", None):
        raise OperationError("다른 사람의 댓글은 고칠 수 없습니다.", status=403)
    if not comment.visible:
        raise OperationError("삭제되었거나 숨겨진 댓글은 고칠 수 없습니다.", status=409)
    body = checked_text(body, "댓글", COMMENT_MAX, "body")
    reason = subject_of(comment_discussion(comment)).closed_reason(comment_discussion(comment))
    if reason:
        raise OperationError(reason, status=409)
    comment.body = body
    comment.edited_at = clock.now()
    comment.flagged_personal_data = contains_personal_data(body)
    db.session.commit()
    return comment


def comment_discussion(comment: Comment) -> Discussion:
    return db.session.get(Discussion, comment.discussion_id)


def delete_comment(comment: Comment, user: User) -> None:
    """Delete by its author: the text is erased from the database (the resident asked
    for it to go), the row keeps the comment's place in the thread, and reports about
    it leave the staff queue as resolved."""
    if comment.author_id != getattr(user, "id", None):
        raise OperationError("다른 사람의 댓글은 지울 수 없습니다.", status=403)
    result = db.session.execute(
        no_sync(
            update(Comment)
            .where(Comment.id == comment.id, Comment.deleted_at.is_(None))
            .values(deleted_at=clock.now(), body="", flagged_personal_data=False)
        )
    )
    if result.rowcount != 1:
        db.session.rollback()
        raise OperationError("이미 삭제된 댓글입니다.", status=409)
    resolve_reports("comment", comment.id, "deleted")
    if comment.hidden_at is None:
        uncount_visible_comment(comment)
    db.session.commit()
    db.session.refresh(comment)
