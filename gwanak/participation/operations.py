"""Every state change of the participation engine, as plain functions.

Each operation checks its rule, changes rows with atomic statements, records the
timeline and audit entries, queues mail, and commits. A ParticipationError carries a
Korean message and the HTTP status a route should answer with; nothing is saved then.

Exactness under concurrency rests on two things: a unique row per person (공감, a
commenter) and counters changed only by `UPDATE … SET n = n + 1` in the same transaction
as that row; transitions are conditional UPDATEs (`WHERE state = 'gathering' AND
gonggam_count >= threshold`), so exactly one transaction performs each.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, delete, exists, or_, select, update
from sqlalchemy.exc import IntegrityError

from gwanak.accounts.models import Role, User
from gwanak.core import clock
from gwanak.core.audit import record_audit
from gwanak.core.extensions import db
from gwanak.core.forms import looks_like_html
from gwanak.core.mail import mail_user
from gwanak.core.masking import contains_personal_data
from gwanak.core.menus import dong as find_dong
from gwanak.participation.boards import (
    BOARDS,
    BoardSpec,
    board,
    mayor_days_for,
    mayor_threshold_for,
)
from gwanak.participation.models import (
    Answer,
    Comment,
    Discussion,
    DiscussionParticipant,
    Gonggam,
    MayorState,
    Outcome,
    Proposal,
    ProposalState,
    Report,
    TimelineEvent,
)
from gwanak.participation.subjects import subject_of

TITLE_MAX = 100
BODY_MAX = 5000
COMMENT_MAX = 1000
REASON_MAX = 500
ANSWER_MAX = 10000


class ParticipationError(Exception):
    def __init__(self, message: str, status: int = 409, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.status = status
        self.field = field


def _no_sync(statement):
    return statement.execution_options(synchronize_session=False)


def _text(value: str | None, label: str, limit: int, field: str, *, plain: bool = True) -> str:
    value = (value or "").strip()
    if not value:
        raise ParticipationError(f"{label}을(를) 입력하세요.", 422, field)
    if len(value) > limit:
        raise ParticipationError(f"{label}은(는) {limit:,}자 이하로 입력하세요.", 422, field)
    if plain and looks_like_html(value):
        raise ParticipationError("HTML 태그는 쓸 수 없습니다. 글자로만 입력하세요.", 422, field)
    return value


def _timeline(
    discussion_id: int, event: str, actor_id: int | None, note: str | None = None
) -> None:
    db.session.add(
        TimelineEvent(
            discussion_id=discussion_id,
            event=event,
            actor_id=actor_id,
            note=note,
            created_at=clock.now(),
        )
    )


def _require_participant(user: User | None) -> User:
    if user is None or not getattr(user, "is_authenticated", False):
        raise ParticipationError("로그인한 주민만 참여할 수 있습니다.", 401)
    if user.role != Role.RESIDENT:
        raise ParticipationError("주민 계정으로만 참여할 수 있습니다.", 403)
    return user


# ---------------------------------------------------------------- discussions


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
    _require_participant(author)
    body = _text(body, "댓글", COMMENT_MAX, "body")
    reason = subject_of(discussion).closed_reason(discussion)
    if reason:
        raise ParticipationError(reason, 409)
    if client_token:
        existing = db.session.scalar(select(Comment).where(Comment.client_token == client_token))
        if existing is not None:
            return existing
    if parent_id is not None:
        parent = db.session.get(Comment, parent_id)
        if parent is None or parent.discussion_id != discussion.id:
            raise ParticipationError("답글을 달 댓글을 찾을 수 없습니다.", 404)
        if parent.parent_id is not None:
            parent_id = parent.parent_id  # one level of replies
        if not parent.visible:
            raise ParticipationError("삭제되었거나 숨겨진 댓글에는 답글을 달 수 없습니다.", 409)
    comment = Comment(
        discussion_id=discussion.id,
        author_id=author.id,
        parent_id=parent_id,
        body=body,
        created_at=clock.now(),
        flagged_personal_data=contains_personal_data(body),
        client_token=client_token,
    )
    db.session.add(comment)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        existing = db.session.scalar(select(Comment).where(Comment.client_token == client_token))
        if existing is None:
            raise
        return existing
    _count_visible_comment(discussion.id, author.id)
    db.session.commit()
    return comment


def _count_visible_comment(discussion_id: int, user_id: int) -> None:
    # The discussion row is updated first: its row lock orders concurrent count changes.
    db.session.execute(
        _no_sync(
            update(Discussion)
            .where(Discussion.id == discussion_id)
            .values(comment_count=Discussion.comment_count + 1)
        )
    )
    if _insert_participant(discussion_id, user_id):
        count = db.session.execute(
            _no_sync(
                update(Discussion)
                .where(Discussion.id == discussion_id)
                .values(commenter_count=Discussion.commenter_count + 1)
                .returning(Discussion.commenter_count, Discussion.rules)
            )
        ).one()
        _maybe_queue_for_mayor(discussion_id, count[0], count[1])


def _insert_participant(discussion_id: int, user_id: int) -> bool:
    """INSERT … ON CONFLICT DO NOTHING; True when this person is a new commenter."""
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    inserted = db.session.execute(
        insert(DiscussionParticipant)
        .values(discussion_id=discussion_id, user_id=user_id)
        .on_conflict_do_nothing()
        .returning(DiscussionParticipant.user_id)
    ).first()
    return inserted is not None


def _maybe_queue_for_mayor(discussion_id: int, commenters: int, rules: str) -> None:
    threshold = mayor_threshold_for(rules)
    if commenters < threshold:
        return
    now = clock.now()
    result = db.session.execute(
        _no_sync(
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
    _timeline(discussion_id, "mayor_queued", None, f"댓글 참여자 {commenters}명")
    discussion = db.session.get(Discussion, discussion_id)
    subject = subject_of(discussion)
    title = subject.title(discussion)
    mail_user(
        subject.author(discussion),
        "[온라인 관악청] 구청장 답변 대상이 되었습니다",
        f"'{title}'에 댓글 참여자가 {commenters}명이 되어 구청장이 직접 답변합니다.",
    )
    for mayor in db.session.scalars(
        select(User).where(User.role == Role.MAYOR, User.deleted_at.is_(None))
    ):
        mail_user(
            mayor,
            "[온라인 관악청] 구청장 답변 요청",
            f"'{title}'이(가) 댓글 참여자 {commenters}명으로 구청장 답변 대상이 되었습니다.",
        )


def _uncount_visible_comment(comment: Comment) -> None:
    """A visible comment leaves the counts (deleted or hidden)."""
    db.session.execute(
        _no_sync(
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
            _no_sync(
                update(Discussion)
                .where(Discussion.id == comment.discussion_id)
                .values(commenter_count=Discussion.commenter_count - 1)
            )
        )


def edit_comment(comment: Comment, user: User, body: str) -> Comment:
    if comment.author_id != getattr(user, "id", None):
        raise ParticipationError("다른 사람의 댓글은 고칠 수 없습니다.", 403)
    if not comment.visible:
        raise ParticipationError("삭제되었거나 숨겨진 댓글은 고칠 수 없습니다.", 409)
    body = _text(body, "댓글", COMMENT_MAX, "body")
    reason = subject_of(comment_discussion(comment)).closed_reason(comment_discussion(comment))
    if reason:
        raise ParticipationError(reason, 409)
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
        raise ParticipationError("다른 사람의 댓글은 지울 수 없습니다.", 403)
    result = db.session.execute(
        _no_sync(
            update(Comment)
            .where(Comment.id == comment.id, Comment.deleted_at.is_(None))
            .values(deleted_at=clock.now(), body="", flagged_personal_data=False)
        )
    )
    if result.rowcount != 1:
        db.session.rollback()
        raise ParticipationError("이미 삭제된 댓글입니다.", 409)
    _resolve_reports("comment", comment.id, "deleted")
    if comment.hidden_at is None:
        _uncount_visible_comment(comment)
    db.session.commit()
    db.session.refresh(comment)


# ---------------------------------------------------------------- proposals


def _check_fields(spec: BoardSpec, title: str, body: str, category: str, dong: str | None):
    title = _text(title, "제목", TITLE_MAX, "title")
    body = _text(body, "내용", BODY_MAX, "body")
    if category not in spec.categories:
        raise ParticipationError("분야를 고르세요.", 422, "category")
    if dong and find_dong(dong) is None:
        raise ParticipationError("동을 고르세요.", 422, "dong")
    return title, body, category, dong or None


def create_proposal(
    spec: BoardSpec,
    author: User,
    *,
    title: str,
    body: str,
    category: str,
    dong: str | None = None,
    client_token: str | None = None,
) -> Proposal:
    """Post a proposal on a board; it starts gathering 공감 for the board's period."""
    _require_participant(author)
    title, body, category, dong = _check_fields(spec, title, body, category, dong)
    if client_token:
        existing = db.session.scalar(select(Proposal).where(Proposal.client_token == client_token))
        if existing is not None:
            return existing
    now = clock.now()
    discussion = open_discussion("proposal", spec.rules, spec.owner_department)
    proposal = Proposal(
        board=spec.slug,
        discussion_id=discussion.id,
        author_id=author.id,
        department=spec.owner_department,
        title=title,
        body=body,
        category=category,
        dong=dong,
        state=ProposalState.GATHERING,
        created_at=now,
        updated_at=now,
        gathering_ends_at=now + timedelta(days=spec.setting("gonggam_days")),
        flagged_personal_data=contains_personal_data(title + "\n" + body),
        client_token=client_token,
    )
    db.session.add(proposal)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        existing = db.session.scalar(select(Proposal).where(Proposal.client_token == client_token))
        if existing is None:
            raise
        return existing
    _timeline(discussion.id, "posted", author.id)
    db.session.commit()
    return proposal


def edit_proposal(
    proposal: Proposal, user: User, *, title: str, body: str, category: str, dong: str | None
) -> Proposal:
    """The author edits until the first 공감 or comment."""
    if proposal.author_id != getattr(user, "id", None):
        raise ParticipationError("다른 사람의 제안은 고칠 수 없습니다.", 403)
    title, body, category, dong = _check_fields(board(proposal.board), title, body, category, dong)
    untouched = ~exists().where(
        Discussion.id == Proposal.discussion_id, Discussion.comment_count > 0
    ) & ~exists().where(Comment.discussion_id == Proposal.discussion_id)
    result = db.session.execute(
        _no_sync(
            update(Proposal)
            .where(
                Proposal.id == proposal.id,
                Proposal.state == ProposalState.GATHERING,
                Proposal.gonggam_count == 0,
                Proposal.hidden_at.is_(None),
                untouched,
            )
            .values(
                title=title,
                body=body,
                category=category,
                dong=dong,
                updated_at=clock.now(),
                flagged_personal_data=contains_personal_data(title + "\n" + body),
            )
        )
    )
    if result.rowcount != 1:
        db.session.rollback()
        raise ParticipationError("공감이나 댓글이 달린 제안은 고칠 수 없습니다.", 409)
    db.session.commit()
    db.session.refresh(proposal)
    return proposal


def withdraw_proposal(proposal: Proposal, user: User) -> None:
    """The author withdraws their proposal while it is still gathering 공감."""
    if proposal.author_id != getattr(user, "id", None):
        raise ParticipationError("다른 사람의 제안은 철회할 수 없습니다.", 403)
    result = db.session.execute(
        _no_sync(
            update(Proposal)
            .where(Proposal.id == proposal.id, Proposal.state == ProposalState.GATHERING)
            .values(state=ProposalState.WITHDRAWN, updated_at=clock.now())
        )
    )
    if result.rowcount != 1:
        db.session.rollback()
        raise ParticipationError("부서 검토가 시작되었거나 끝난 제안은 철회할 수 없습니다.", 409)
    _timeline(proposal.discussion_id, "withdrawn", user.id)
    db.session.commit()
    db.session.refresh(proposal)


@dataclass
class GonggamResult:
    count: int
    given: bool
    moved_to_review: bool = False


def _open_for_gonggam(now: datetime):
    return or_(
        and_(Proposal.state == ProposalState.GATHERING, Proposal.gathering_ends_at > now),
        Proposal.state == ProposalState.REVIEW,
    )


def give_gonggam(proposal: Proposal, user: User) -> GonggamResult:
    """공감 once per person. The 공감 that reaches the board's threshold moves the
    proposal to 부서 검토 — exactly once, however many arrive at the same moment."""
    _require_participant(user)
    if proposal.author_id == user.id:
        raise ParticipationError("자신의 제안에는 공감할 수 없습니다.", 403)
    now = clock.now()
    db.session.add(Gonggam(proposal_id=proposal.id, user_id=user.id, created_at=now))
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        return GonggamResult(_current_count(proposal.id), given=True)
    row = db.session.execute(
        _no_sync(
            update(Proposal)
            .where(Proposal.id == proposal.id, Proposal.hidden_at.is_(None), _open_for_gonggam(now))
            .values(gonggam_count=Proposal.gonggam_count + 1)
            .returning(Proposal.gonggam_count)
        )
    ).first()
    if row is None:
        db.session.rollback()
        raise ParticipationError(
            "공감을 받을 수 없는 제안입니다. 모집 기간이 끝났거나 처리가 끝났습니다.", 409
        )
    count = row[0]
    spec = board(proposal.board)
    moved = False
    if spec.review_by_gonggam and count >= spec.review_threshold:
        moved = _start_review(proposal, spec, now)
    db.session.commit()
    return GonggamResult(count, given=True, moved_to_review=moved)


def _start_review(proposal: Proposal, spec: BoardSpec, now: datetime) -> bool:
    threshold = spec.review_threshold
    result = db.session.execute(
        _no_sync(
            update(Proposal)
            .where(
                Proposal.id == proposal.id,
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
    _timeline(proposal.discussion_id, "review", None, f"공감 {threshold}명 달성")
    author = db.session.get(User, proposal.author_id)
    mail_user(
        author,
        "[온라인 관악청] 제안이 부서 검토를 시작합니다",
        f"'{proposal.title}' 제안에 공감이 {threshold}명을 넘어 {proposal.department}에서 검토합니다.",
    )
    return True


def take_back_gonggam(proposal: Proposal, user: User) -> GonggamResult:
    """Withdraw one's 공감, only while the proposal is still gathering."""
    _require_participant(user)
    removed = db.session.execute(
        delete(Gonggam).where(Gonggam.proposal_id == proposal.id, Gonggam.user_id == user.id)
    )
    if removed.rowcount != 1:
        db.session.rollback()
        return GonggamResult(_current_count(proposal.id), given=False)
    row = db.session.execute(
        _no_sync(
            update(Proposal)
            .where(Proposal.id == proposal.id, Proposal.state == ProposalState.GATHERING)
            .values(gonggam_count=Proposal.gonggam_count - 1)
            .returning(Proposal.gonggam_count)
        )
    ).first()
    if row is None:
        db.session.rollback()
        raise ParticipationError("공감 모집이 끝난 제안은 공감을 취소할 수 없습니다.", 409)
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


# ---------------------------------------------------------------- answers


def answer_proposal(
    proposal: Proposal, staff: User, *, outcome: str, body: str, reason: str | None = None
) -> Answer:
    """The department answers a proposal under review; the answer is published on it."""
    outcome = Outcome(outcome)
    body = _text(body, "답변", ANSWER_MAX, "body")
    reason = (reason or "").strip() or None
    if outcome == Outcome.OTHER and not reason:
        raise ParticipationError("'기타'를 고르면 사유를 적어야 합니다.", 422, "reason")
    if reason and len(reason) > REASON_MAX:
        raise ParticipationError(f"사유는 {REASON_MAX}자 이하로 입력하세요.", 422, "reason")
    now = clock.now()
    result = db.session.execute(
        _no_sync(
            update(Proposal)
            .where(Proposal.id == proposal.id, Proposal.state == ProposalState.REVIEW)
            .values(state=ProposalState.ANSWERED, outcome=outcome, answered_at=now, updated_at=now)
        )
    )
    if result.rowcount != 1:
        db.session.rollback()
        raise ParticipationError("부서 검토 중인 제안에만 답변할 수 있습니다.", 409)
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
    _timeline(proposal.discussion_id, "answered", staff.id, OUTCOME_NOTE[outcome])
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
    db.session.commit()
    return answer


OUTCOME_NOTE = {
    Outcome.ADOPTED: "채택",
    Outcome.REFERENCE: "행정참고",
    Outcome.REJECTED: "불채택",
    Outcome.OTHER: "기타",
}


def mayor_answer(discussion: Discussion, mayor: User, body: str) -> Answer:
    """The mayor answers a subject in the mayor's queue."""
    if mayor.role != Role.MAYOR:
        raise ParticipationError("구청장만 구청장 답변을 쓸 수 있습니다.", 403)
    body = _text(body, "답변", ANSWER_MAX, "body")
    now = clock.now()
    result = db.session.execute(
        _no_sync(
            update(Discussion)
            .where(Discussion.id == discussion.id, Discussion.mayor_state == MayorState.QUEUED)
            .values(mayor_state=MayorState.ANSWERED, mayor_answered_at=now)
        )
    )
    if result.rowcount != 1:
        db.session.rollback()
        raise ParticipationError("구청장 답변 대상이 아니거나 이미 답변했습니다.", 409)
    answer = Answer(
        discussion_id=discussion.id, kind="mayor", body=body, author_id=mayor.id, created_at=now
    )
    db.session.add(answer)
    _timeline(discussion.id, "mayor_answered", mayor.id)
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


# ---------------------------------------------------------------- moderation


def report_item(target_type: str, target_id: int, reporter: User, reason: str) -> Report:
    """신고: one per person and item; staff see it in the reports queue."""
    if reporter is None or not getattr(reporter, "is_authenticated", False):
        raise ParticipationError("로그인한 뒤에 신고할 수 있습니다.", 401)
    reason = _text(reason, "신고 사유", REASON_MAX, "reason")
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
        raise ParticipationError("이미 신고한 글입니다. 담당자가 확인합니다.", 409) from None
    return report


def _resolve_reports(target_type: str, target_id: int, resolution: str) -> None:
    db.session.execute(
        _no_sync(
            update(Report)
            .where(
                Report.target_type == target_type,
                Report.target_id == target_id,
                Report.resolved_at.is_(None),
            )
            .values(resolved_at=clock.now(), resolution=resolution)
        )
    )


def _switch_hidden(item: Proposal | Comment, staff: User, reason: str, *, hide: bool) -> str:
    """Hide or restore a proposal or comment (the data always stays), with its audit
    entry and, on hiding, its reports resolved. Returns the checked reason; the caller
    adds what differs (timeline, counts, mail) and commits."""
    model = type(item)
    kind, noun = ("proposal", "제안") if model is Proposal else ("comment", "댓글")
    reason = _text(reason, "숨김 사유" if hide else "해제 사유", REASON_MAX, "reason")
    result = db.session.execute(
        _no_sync(
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
        raise ParticipationError(
            f"이미 숨긴 {noun}입니다." if hide else f"숨겨진 {noun}이 아닙니다.", 409
        )
    if hide:
        _resolve_reports(kind, item.id, "hidden")
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
    _timeline(proposal.discussion_id, "hidden", staff.id, reason)
    mail_user(
        db.session.get(User, proposal.author_id),
        "[온라인 관악청] 제안이 숨김 처리되었습니다",
        f"'{proposal.title}' 제안이 관리자에 의해 숨김 처리되었습니다. 사유: {reason}",
    )
    db.session.commit()
    db.session.refresh(proposal)


def restore_proposal(proposal: Proposal, staff: User, reason: str) -> None:
    reason = _switch_hidden(proposal, staff, reason, hide=False)
    _timeline(proposal.discussion_id, "restored", staff.id, reason)
    db.session.commit()
    db.session.refresh(proposal)


def hide_comment(comment: Comment, staff: User, reason: str) -> None:
    _switch_hidden(comment, staff, reason, hide=True)
    if comment.deleted_at is None:  # a hidden comment leaves the counts
        _uncount_visible_comment(comment)
    db.session.commit()
    db.session.refresh(comment)


def restore_comment(comment: Comment, staff: User, reason: str) -> None:
    _switch_hidden(comment, staff, reason, hide=False)
    if comment.deleted_at is None:
        _count_visible_comment(comment.discussion_id, comment.author_id)
    db.session.commit()
    db.session.refresh(comment)


def dismiss_reports(target_type: str, target_id: int, staff: User) -> None:
    _resolve_reports(target_type, target_id, "dismissed")
    record_audit("report.dismiss", target_type, target_id, actor_id=staff.id)
    db.session.commit()


# ---------------------------------------------------------------- scheduled jobs


def expire_stale_proposals() -> int:
    """Close as 기간 만료 every proposal whose 공감 period ended before review, on the
    boards whose review starts from 공감 (budget proposals run their own phases)."""
    now = clock.now()
    boards = [slug for slug, spec in BOARDS.items() if spec.review_by_gonggam]
    rows = db.session.execute(
        _no_sync(
            update(Proposal)
            .where(
                Proposal.board.in_(boards),
                Proposal.state == ProposalState.GATHERING,
                Proposal.gathering_ends_at <= now,
            )
            .values(state=ProposalState.EXPIRED, updated_at=now)
            .returning(Proposal.id, Proposal.discussion_id, Proposal.author_id, Proposal.title)
        )
    ).all()
    for _id, discussion_id, author_id, title in rows:
        _timeline(discussion_id, "expired", None)
        mail_user(
            db.session.get(User, author_id),
            "[온라인 관악청] 제안의 공감 모집 기간이 끝났습니다",
            f"'{title}' 제안은 모집 기간 안에 공감 기준에 이르지 못해 기간 만료로 종료되었습니다.",
        )
    db.session.commit()
    return len(rows)


def send_answer_reminders() -> int:
    """Tell each department, once per proposal, that an answer falls due soon."""
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
            _no_sync(
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


def department_staff(department: str) -> list[User]:
    return list(
        db.session.scalars(
            select(User).where(
                User.role == Role.STAFF, User.department == department, User.deleted_at.is_(None)
            )
        )
    )
