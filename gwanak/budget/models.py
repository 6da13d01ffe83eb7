"""주민참여예산 models: 실행사업 (selected projects) and 예산학교 (budget school).

All of it is owned by 자치행정과, the owner of the menu.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import BigInteger, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from gwanak.accounts.models import HOLDS_DEPARTMENT
from gwanak.core import clock
from gwanak.core.extensions import db
from gwanak.core.menus import menu

OWNER_DEPARTMENT = menu("budget").owner  # the menu's owner (menus.json)


class ProjectState(enum.StrEnum):
    """실행사업 상태: 추진중 · 완료 · 이월."""

    ONGOING = "ongoing"
    DONE = "done"
    CARRIED_OVER = "carried_over"


PROJECT_STATE_LABELS = {
    ProjectState.ONGOING: "추진중",
    ProjectState.DONE: "완료",
    ProjectState.CARRIED_OVER: "이월",
}


class BudgetProject(db.Model):
    """A selected project (실행사업) of a year, with its money and progress."""

    __tablename__ = "budget_projects"
    __table_args__ = (Index("ix_budget_projects_year_state", "year", "state"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(index=True)
    title: Mapped[str] = mapped_column(String(120))
    summary: Mapped[str] = mapped_column(Text, default="")
    dong: Mapped[str | None] = mapped_column(String(40), index=True)  # None: 구 전체
    department: Mapped[str] = mapped_column(String(40))  # the department carrying it out
    budget: Mapped[int] = mapped_column(BigInteger, default=0)  # won
    spent: Mapped[int] = mapped_column(BigInteger, default=0)  # won
    progress: Mapped[int] = mapped_column(default=0)  # percent, 0..100
    state: Mapped[str] = mapped_column(String(16), default=ProjectState.ONGOING)
    # Set when the project came out of a 주민 투표 (one project per selected proposal).
    proposal_id: Mapped[int | None] = mapped_column(unique=True)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    updated_at: Mapped[datetime] = mapped_column(default=clock.now)

    updates: Mapped[list[ProjectUpdate]] = relationship(
        back_populates="project",
        order_by="(ProjectUpdate.posted_on.desc(), ProjectUpdate.id.desc())",
        cascade="all, delete-orphan",
    )

    owner_department = OWNER_DEPARTMENT

    @property
    def state_label(self) -> str:
        return PROJECT_STATE_LABELS[ProjectState(self.state)]

    def snapshot(self) -> dict:
        return {
            "year": self.year,
            "title": self.title,
            "dong": self.dong,
            "department": self.department,
            "budget": self.budget,
            "spent": self.spent,
            "progress": self.progress,
            "state": self.state,
        }


class ProjectUpdate(db.Model):
    """A dated note on how a project is going (추진 경과)."""

    __tablename__ = "budget_project_updates"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("budget_projects.id", ondelete="CASCADE"), index=True
    )
    posted_on: Mapped[date]
    body: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    # The form's one-time token: a double submit or an htmx retry adds the note once.
    client_token: Mapped[str | None] = mapped_column(String(40), unique=True)

    project: Mapped[BudgetProject] = relationship(back_populates="updates")


class SchoolCourse(db.Model):
    """예산학교 과정: a course made of classes (회차)."""

    __tablename__ = "budget_school_courses"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=clock.now)

    classes: Mapped[list[SchoolClass]] = relationship(
        back_populates="course",
        order_by="(SchoolClass.starts_at, SchoolClass.id)",
        cascade="all, delete-orphan",
    )

    owner_department = OWNER_DEPARTMENT


class SchoolClass(db.Model):
    """One 회차 of a course: when, where, how many seats."""

    __tablename__ = "budget_school_classes"

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(
        ForeignKey("budget_school_courses.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column(default=1)  # 회차
    starts_at: Mapped[datetime]  # naive UTC
    place: Mapped[str] = mapped_column(String(120))
    capacity: Mapped[int]
    # Registered residents, kept by conditional UPDATEs (`… WHERE seats_taken <
    # capacity`) so a seat is taken atomically on SQLite as on PostgreSQL.
    seats_taken: Mapped[int] = mapped_column(default=0, server_default="0")

    course: Mapped[SchoolCourse] = relationship(back_populates="classes")

    owner_department = OWNER_DEPARTMENT

    def is_closed(self) -> bool:
        """Registration closes when the class starts."""
        return self.starts_at <= clock.now()


class RegistrationStatus(enum.StrEnum):
    REGISTERED = "registered"
    WAITING = "waiting"
    CANCELLED = "cancelled"


REGISTRATION_LABELS = {
    RegistrationStatus.REGISTERED: "신청 완료",
    RegistrationStatus.WAITING: "대기",
    RegistrationStatus.CANCELLED: "취소",
}


class SchoolRegistration(db.Model):
    """A resident's place in a class: registered, waiting (in queued_at order) or cancelled.

    One row per resident and class (unique); registering again after a cancel reuses
    the row and joins the end of the queue.
    """

    __tablename__ = "budget_school_registrations"
    __table_args__ = (
        UniqueConstraint("class_id", "user_id", name="uq_budget_school_registration"),
        Index("ix_budget_school_registrations_queue", "class_id", "status", "queued_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(
        ForeignKey("budget_school_classes.id", ondelete="CASCADE")
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(16))
    queued_at: Mapped[datetime] = mapped_column(default=clock.now)
    reminded_at: Mapped[datetime | None]

    school_class: Mapped[SchoolClass] = relationship()
    user = relationship("User")

    @property
    def status_label(self) -> str:
        return REGISTRATION_LABELS[RegistrationStatus(self.status)]


# ---------------------------------------------------------------- 사업 제안 (the budget board)


class Phase(enum.StrEnum):
    """단계 of a budget proposal: 제안 접수 → 부서 검토 → 분과 심의 → 주민 투표 → 선정 / 미선정."""

    SUBMITTED = "submitted"
    REVIEW = "review"
    DELIBERATION = "deliberation"
    VOTING = "voting"
    SELECTED = "selected"
    NOT_SELECTED = "not_selected"


PHASE_LABELS = {
    Phase.SUBMITTED: "제안 접수",
    Phase.REVIEW: "부서 검토",
    Phase.DELIBERATION: "분과 심의",
    Phase.VOTING: "주민 투표",
    Phase.SELECTED: "선정",
    Phase.NOT_SELECTED: "미선정",
}


class BudgetRound(db.Model):
    """A year's round of 주민참여예산: its phase dates (Korean calendar dates, inclusive).

    `year` is the budget year the selected projects are carried out in.
    """

    __tablename__ = "budget_rounds"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(unique=True)
    proposal_starts: Mapped[date]
    proposal_ends: Mapped[date]
    review_ends: Mapped[date]
    deliberation_ends: Mapped[date]
    vote_starts: Mapped[date]
    vote_ends: Mapped[date]

    owner_department = OWNER_DEPARTMENT

    @property
    def title(self) -> str:
        return f"{self.year}년도 주민참여예산"

    def accepting_proposals(self, today: date) -> bool:
        return self.proposal_starts <= today <= self.proposal_ends

    def voting_open(self, today: date) -> bool:
        return self.vote_starts <= today <= self.vote_ends

    def voting_closed(self, today: date) -> bool:
        return today > self.vote_ends

    def snapshot(self) -> dict:
        return {
            "year": self.year,
            **{
                k: getattr(self, k).isoformat()
                for k in (
                    "proposal_starts",
                    "proposal_ends",
                    "review_ends",
                    "deliberation_ends",
                    "vote_starts",
                    "vote_ends",
                )
            },
        }


# A merged 사업부서's reviews not yet done move with it.
_REVIEWER = HOLDS_DEPARTMENT | {
    "open_when": lambda table: table.c.phase.in_((Phase.SUBMITTED, Phase.REVIEW))
}


class BudgetProposal(db.Model):
    """The budget board's extra fields of an engine `Proposal` (one row per proposal)."""

    __tablename__ = "budget_proposals"
    __table_args__ = (Index("ix_budget_proposals_round_phase", "round_id", "phase"),)

    proposal_id: Mapped[int] = mapped_column(
        ForeignKey("proposals.id", ondelete="CASCADE"), primary_key=True
    )
    round_id: Mapped[int] = mapped_column(ForeignKey("budget_rounds.id"))
    estimated_cost: Mapped[int] = mapped_column(BigInteger)  # won
    place: Mapped[str] = mapped_column(String(120))
    phase: Mapped[str] = mapped_column(String(16), default=Phase.SUBMITTED)
    feasible: Mapped[bool | None]
    review_note: Mapped[str | None] = mapped_column(String(500))
    # 사업부서: the department 자치행정과 handed the feasibility review to (None: itself).
    review_department: Mapped[str | None] = mapped_column(String(40), info=_REVIEWER)
    vote_count: Mapped[int] = mapped_column(default=0)
    phase_changed_at: Mapped[datetime] = mapped_column(default=clock.now)

    proposal = relationship("Proposal", lazy="joined", innerjoin=True)
    round: Mapped[BudgetRound] = relationship(lazy="joined", innerjoin=True)

    owner_department = OWNER_DEPARTMENT

    @property
    def phase_label(self) -> str:
        return PHASE_LABELS[Phase(self.phase)]


class BudgetBallot(db.Model):
    """How many votes a resident used in a round; the limit is enforced by one atomic
    `UPDATE … SET used = used + 1 WHERE used < limit` on this row."""

    __tablename__ = "budget_ballots"
    __table_args__ = (UniqueConstraint("round_id", "user_id", name="uq_budget_ballot"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("budget_rounds.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    used: Mapped[int] = mapped_column(default=0)


class BudgetVote(db.Model):
    """One vote: unique per resident and proposal."""

    __tablename__ = "budget_votes"
    __table_args__ = (UniqueConstraint("proposal_id", "user_id", name="uq_budget_vote"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("budget_rounds.id", ondelete="CASCADE"))
    proposal_id: Mapped[int] = mapped_column(
        ForeignKey("budget_proposals.proposal_id", ondelete="CASCADE")
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
