"""Tables of the participation engine.

Counters on rows (공감 count, comment count, distinct commenters) are changed only by
atomic UPDATE statements in operations.py, next to the rows they count (unique per
person), so they stay exact under concurrent requests.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from gwanak.accounts.models import HOLDS_DEPARTMENT
from gwanak.core import clock
from gwanak.core.extensions import db
from gwanak.core.features import registry


class ProposalState(enum.StrEnum):
    GATHERING = "gathering"  # 공감 모집
    REVIEW = "review"  # 부서 검토
    ANSWERED = "answered"  # 답변 완료
    EXPIRED = "expired"  # 기간 만료
    WITHDRAWN = "withdrawn"  # 철회


STATE_LABELS = {
    ProposalState.GATHERING: "공감 모집",
    ProposalState.REVIEW: "부서 검토",
    ProposalState.ANSWERED: "답변 완료",
    ProposalState.EXPIRED: "기간 만료",
    ProposalState.WITHDRAWN: "철회",
}


class Outcome(enum.StrEnum):
    ADOPTED = "adopted"  # 채택
    REFERENCE = "reference"  # 행정참고
    REJECTED = "rejected"  # 불채택
    OTHER = "other"  # 기타 (with a reason)


OUTCOME_LABELS = {
    Outcome.ADOPTED: "채택",
    Outcome.REFERENCE: "행정참고",
    Outcome.REJECTED: "불채택",
    Outcome.OTHER: "기타",
}


class MayorState(enum.StrEnum):
    QUEUED = "queued"  # 구청장 답변 대상
    ANSWERED = "answered"  # 구청장 답변 완료


class SubjectKind(enum.StrEnum):
    """What a discussion can be about (Discussion.subject_type). Each kind needs a
    feature that provides its `SubjectType`; create_app refuses to start otherwise."""

    PROPOSAL = "proposal"  # a proposal on any board (participation)
    AGENDA = "agenda"  # 관악구가 묻습니다! (policy)
    PLEDGE = "pledge"  # 주민참여마당 (manifesto)


class BoardSlug(enum.StrEnum):
    """The proposal boards (Proposal.board); each needs a feature providing its BoardSpec."""

    POLICY = "policy"  # 정책참여 제안하기
    BUDGET = "budget"  # 주민참여예산 사업 제안
    GOVERNANCE = "governance"  # 협치관악 제안하기


def search_kind(board: str) -> str:
    """A board's proposals in the search index (core/search_index.py). Only proposals a
    list can show are indexed: hidden and withdrawn ones leave it."""
    return f"proposal:{board}"


class Discussion(db.Model):
    """A comment thread attached to one subject (proposal, agenda, pledge…)."""

    __tablename__ = "discussions"
    __table_args__ = (Index("ix_discussions_comment_count", "comment_count", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_type: Mapped[str] = mapped_column(String(20))
    # Whose settings apply: "board.policy", "asks", … (<rules>.mayor_commenters).
    rules: Mapped[str] = mapped_column(String(40))
    owner_department: Mapped[str | None] = mapped_column(String(40), info=HOLDS_DEPARTMENT)
    comment_count: Mapped[int] = mapped_column(default=0)
    commenter_count: Mapped[int] = mapped_column(default=0)
    mayor_state: Mapped[str | None] = mapped_column(String(10), index=True)
    mayor_queued_at: Mapped[datetime | None]
    mayor_due_at: Mapped[datetime | None]
    mayor_answered_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=clock.now)


class DiscussionParticipant(db.Model):
    """One row per person with at least one visible comment: distinct commenters."""

    __tablename__ = "discussion_participants"

    discussion_id: Mapped[int] = mapped_column(
        ForeignKey("discussions.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )


class Comment(db.Model):
    __tablename__ = "comments"
    __table_args__ = (
        Index("ix_comments_discussion_created", "discussion_id", "id"),
        # A page of top-level comments (parent NULL), their count and their replies,
        # read from the index alone; the busiest threads' rows lie all over the table.
        Index("ix_comments_thread", "discussion_id", "parent_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    discussion_id: Mapped[int] = mapped_column(ForeignKey("discussions.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=clock.now, index=True)
    edited_at: Mapped[datetime | None]
    deleted_at: Mapped[datetime | None]
    hidden_at: Mapped[datetime | None]
    hidden_reason: Mapped[str | None] = mapped_column(String(500))
    flagged_personal_data: Mapped[bool] = mapped_column(default=False)
    # One token per form render: a double submit cannot create a second comment.
    client_token: Mapped[str | None] = mapped_column(String(40), unique=True)

    author = relationship("User", lazy="joined", innerjoin=True)

    @property
    def visible(self) -> bool:
        return self.deleted_at is None and self.hidden_at is None


# A merged department's proposals still gathering 공감 or under review move with it;
# answered ones keep the name of the department that answered.
_PROPOSAL_DEPARTMENT = HOLDS_DEPARTMENT | {
    "open_when": lambda table: table.c.state.in_((ProposalState.GATHERING, ProposalState.REVIEW))
}


class Proposal(db.Model):
    __tablename__ = "proposals"
    __table_args__ = (
        # Covers the list's count and the card statistics without reading the rows.
        Index("ix_proposals_listing", "board", "hidden_at", "state", "outcome"),
        # Cover the list's page queries (latest, 공감순) with their filters.
        Index("ix_proposals_browse", "board", "id", "hidden_at", "state", "category", "dong"),
        Index(
            "ix_proposals_by_gonggam",
            "board",
            "gonggam_count",
            "id",
            "hidden_at",
            "state",
            "category",
            "dong",
        ),  # fmt: skip
        # Unique as an index (not a constraint): SQLite adds it without rebuilding the
        # table, which would drop the FTS5 triggers on proposals.
        Index("ix_proposals_legacy_id", "legacy_id", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    board: Mapped[str] = mapped_column(String(20))
    discussion_id: Mapped[int] = mapped_column(ForeignKey("discussions.id"), unique=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    # 담당 부서: the board's owner (the coordinator) until it hands the proposal on.
    department: Mapped[str] = mapped_column(String(40), info=_PROPOSAL_DEPARTMENT)
    # 협조 부서 named when the proposal was handed on (names, in order).
    cooperating: Mapped[list | None] = mapped_column(JSON)
    title: Mapped[str] = mapped_column(String(100))
    body: Mapped[str] = mapped_column(Text)
    category: Mapped[str] = mapped_column(String(20))
    dong: Mapped[str | None] = mapped_column(String(40))
    state: Mapped[str] = mapped_column(String(12), default=ProposalState.GATHERING)
    gonggam_count: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    updated_at: Mapped[datetime] = mapped_column(default=clock.now)
    gathering_ends_at: Mapped[datetime]
    review_started_at: Mapped[datetime | None]
    answer_due_at: Mapped[datetime | None]
    answered_at: Mapped[datetime | None]
    reminder_sent_at: Mapped[datetime | None]
    outcome: Mapped[str | None] = mapped_column(String(10))
    hidden_at: Mapped[datetime | None]
    hidden_reason: Mapped[str | None] = mapped_column(String(500))
    flagged_personal_data: Mapped[bool] = mapped_column(default=False)
    client_token: Mapped[str | None] = mapped_column(String(40), unique=True)
    # 추진상황 of an adopted proposal: the status of its latest update (None: none yet).
    progress: Mapped[str | None] = mapped_column(String(10))
    progress_at: Mapped[datetime | None]
    # Imported from the old portal (`flask gwanak import-proposals`): its id there, which
    # makes the import idempotent, and the author's name as it stood (stored masked; the
    # author has no account here, the proposal belongs to the import's system account).
    legacy_id: Mapped[str | None] = mapped_column(String(40))
    legacy_author: Mapped[str | None] = mapped_column(String(40))

    author = relationship("User", lazy="joined", innerjoin=True)
    discussion = relationship("Discussion", lazy="joined", innerjoin=True)

    @property
    def owner_department(self) -> str:
        return self.department

    @property
    def author_name(self) -> str:
        return self.legacy_author or self.author.name

    @property
    def imported(self) -> bool:
        return self.legacy_id is not None

    @property
    def state_label(self) -> str:
        return STATE_LABELS[ProposalState(self.state)]

    @property
    def outcome_label(self) -> str | None:
        return OUTCOME_LABELS[Outcome(self.outcome)] if self.outcome else None

    @property
    def progress_label(self) -> str | None:
        return PROGRESS_LABELS[ProgressStatus(self.progress)] if self.progress else None

    def is_overdue(self, now: datetime) -> bool:
        return (
            self.state == ProposalState.REVIEW
            and self.answer_due_at is not None
            and now > self.answer_due_at
        )


class Gonggam(db.Model):
    """공감: one row per person and proposal."""

    __tablename__ = "gonggam"
    __table_args__ = (UniqueConstraint("proposal_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)


class Answer(db.Model):
    """A department's answer (with an outcome) or the mayor's answer, on a discussion."""

    __tablename__ = "answers"

    id: Mapped[int] = mapped_column(primary_key=True)
    discussion_id: Mapped[int] = mapped_column(
        ForeignKey("discussions.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(12))  # department | mayor
    department: Mapped[str | None] = mapped_column(String(40))
    outcome: Mapped[str | None] = mapped_column(String(10))
    reason: Mapped[str | None] = mapped_column(String(500))
    body: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    revised_at: Mapped[datetime | None]  # last correction: shown as 수정됨

    author = relationship("User")
    revisions = relationship(
        "AnswerRevision", order_by="AnswerRevision.id", lazy="selectin", viewonly=True
    )

    @property
    def outcome_label(self) -> str | None:
        return OUTCOME_LABELS[Outcome(self.outcome)] if self.outcome else None


class AnswerRevision(db.Model):
    """A department answer as it read before one correction, and why it was corrected.

    Kept for good and shown publicly: a published answer changes only in the open."""

    __tablename__ = "answer_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    answer_id: Mapped[int] = mapped_column(ForeignKey("answers.id", ondelete="CASCADE"), index=True)
    outcome: Mapped[str | None] = mapped_column(String(10))
    reason: Mapped[str | None] = mapped_column(String(500))
    body: Mapped[str] = mapped_column(Text)
    written_at: Mapped[datetime]  # when this version was published
    corrected_at: Mapped[datetime] = mapped_column(default=clock.now)
    corrected_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(String(200))  # why it was corrected (public)

    @property
    def outcome_label(self) -> str | None:
        return OUTCOME_LABELS[Outcome(self.outcome)] if self.outcome else None


class ProgressStatus(enum.StrEnum):
    ONGOING = "ongoing"  # 추진중
    DONE = "done"  # 완료


PROGRESS_LABELS = {ProgressStatus.ONGOING: "추진중", ProgressStatus.DONE: "완료"}


class ProgressUpdate(db.Model):
    """추진상황: a dated report by the department on an adopted proposal."""

    __tablename__ = "progress_updates"

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(
        ForeignKey("proposals.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(10))
    body: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    revised_at: Mapped[datetime | None]

    revisions = relationship(
        "ProgressRevision", order_by="ProgressRevision.id", lazy="selectin", viewonly=True
    )

    @property
    def status_label(self) -> str:
        return PROGRESS_LABELS[ProgressStatus(self.status)]


class ProgressRevision(db.Model):
    """A progress update as it read before one correction (kept and shown, like answers)."""

    __tablename__ = "progress_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    update_id: Mapped[int] = mapped_column(
        ForeignKey("progress_updates.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(10))
    body: Mapped[str] = mapped_column(Text)
    written_at: Mapped[datetime]
    corrected_at: Mapped[datetime] = mapped_column(default=clock.now)
    corrected_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(String(200))

    @property
    def status_label(self) -> str:
        return PROGRESS_LABELS[ProgressStatus(self.status)]


class Follow(db.Model):
    """A resident follows a subject (its discussion): a proposal, an agenda…"""

    __tablename__ = "follows"
    __table_args__ = (UniqueConstraint("discussion_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    discussion_id: Mapped[int] = mapped_column(ForeignKey("discussions.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)


class Notification(db.Model):
    """One line of a person's 내 알림: something happened on a subject they follow."""

    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_user_unread", "user_id", "read_at", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    discussion_id: Mapped[int] = mapped_column(
        ForeignKey("discussions.id", ondelete="CASCADE"), index=True
    )
    event: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    read_at: Mapped[datetime | None]


# The engine's own timeline events; features add theirs (Feature.timeline_labels).
TIMELINE_LABELS = {
    "posted": "제안 등록",
    "review": "부서 검토 시작",
    "answered": "부서 답변",
    "mayor_queued": "구청장 답변 대상",
    "mayor_answered": "구청장 답변",
    "mayor_dropped": "구청장 답변 대상 제외",
    "expired": "기간 만료",
    "withdrawn": "제안 철회",
    "hidden": "관리자 숨김",
    "restored": "숨김 해제",
    "reassigned": "담당 부서 변경",
    "answer_corrected": "답변 수정",
    "progress": "추진상황",
    "progress_corrected": "추진상황 수정",
}


class TimelineEvent(db.Model):
    """One line of a subject's timeline: each transition, once, with time and actor."""

    __tablename__ = "timeline_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    discussion_id: Mapped[int] = mapped_column(
        ForeignKey("discussions.id", ondelete="CASCADE"), index=True
    )
    event: Mapped[str] = mapped_column(String(20))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    note: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(default=clock.now)

    @property
    def label(self) -> str:
        return registry().timeline_labels.get(self.event, self.event)


class Report(db.Model):
    """신고 of a proposal or a comment; one per person and item."""

    __tablename__ = "reports"
    __table_args__ = (UniqueConstraint("target_type", "target_id", "reporter_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    target_type: Mapped[str] = mapped_column(String(12))  # proposal | comment
    target_id: Mapped[int]
    reporter_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    resolved_at: Mapped[datetime | None] = mapped_column(index=True)
    resolution: Mapped[str | None] = mapped_column(String(20))
