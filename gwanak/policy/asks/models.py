"""Agendas, their poll options and residents' votes."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from gwanak.core import clock
from gwanak.core.extensions import db

KINDS = {"general": "일반의제", "governance": "협치의제"}


class AgendaState:
    UPCOMING = "upcoming"  # 예정
    OPEN = "open"  # 진행중
    CLOSED = "closed"  # 마감
    PUBLISHED = "published"  # 결과 공개
    WITHDRAWN = "withdrawn"  # 철회


STATE_LABELS = {
    AgendaState.UPCOMING: "예정",
    AgendaState.OPEN: "진행중",
    AgendaState.CLOSED: "마감",
    AgendaState.PUBLISHED: "결과 공개",
    AgendaState.WITHDRAWN: "철회",
}


class Agenda(db.Model):
    """An agenda of 관악구가 묻습니다!: open from `opens_on` to `closes_on` (Korean dates)."""

    __tablename__ = "agendas"
    __table_args__ = (Index("ix_agendas_opens_on", "opens_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(12), index=True)
    title: Mapped[str] = mapped_column(String(120))
    body_md: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    department: Mapped[str] = mapped_column(String(40))
    opens_on: Mapped[date]
    closes_on: Mapped[date]
    discussion_id: Mapped[int] = mapped_column(ForeignKey("discussions.id"), unique=True)
    poll_question: Mapped[str | None] = mapped_column(String(200))
    result_md: Mapped[str | None] = mapped_column(Text)
    result_html: Mapped[str | None] = mapped_column(Text)
    result_published_at: Mapped[datetime | None]
    # When the text shown now was published; earlier texts are AgendaResultVersion rows.
    result_updated_at: Mapped[datetime | None]
    edited_at: Mapped[datetime | None]  # staff corrected the title or body ("수정됨")
    closed_early_at: Mapped[datetime | None]  # staff closed it before closes_on
    withdrawn_at: Mapped[datetime | None]
    withdrawn_reason: Mapped[str | None] = mapped_column(Text)  # shown to residents
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=clock.now)

    discussion = relationship("Discussion", lazy="joined", innerjoin=True)
    options = relationship(
        "PollOption", order_by="PollOption.position", lazy="selectin", viewonly=True
    )

    @property
    def owner_department(self) -> str:
        return self.department

    @property
    def kind_label(self) -> str:
        return KINDS[self.kind]

    result_versions = relationship(
        "AgendaResultVersion",
        order_by="AgendaResultVersion.id.desc()",
        lazy="select",
        viewonly=True,
    )

    def state(self, today: date | None = None) -> str:
        if self.withdrawn_at is not None:
            return AgendaState.WITHDRAWN
        if self.result_published_at is not None:
            return AgendaState.PUBLISHED
        if self.closed_early_at is not None:
            return AgendaState.CLOSED
        today = today or clock.today()
        if today < self.opens_on:
            return AgendaState.UPCOMING
        if today <= self.closes_on:
            return AgendaState.OPEN
        return AgendaState.CLOSED

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state()]

    @property
    def is_open(self) -> bool:
        return self.state() == AgendaState.OPEN


class AgendaResultVersion(db.Model):
    """An earlier text of an agenda's 결과 반영, kept when staff correct it (shown publicly)."""

    __tablename__ = "agenda_result_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    agenda_id: Mapped[int] = mapped_column(ForeignKey("agendas.id", ondelete="CASCADE"), index=True)
    result_md: Mapped[str] = mapped_column(Text)
    result_html: Mapped[str] = mapped_column(Text)
    published_at: Mapped[datetime]  # when this text went public
    replaced_at: Mapped[datetime] = mapped_column(default=clock.now)
    replaced_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class PollOption(db.Model):
    __tablename__ = "poll_options"
    __table_args__ = (UniqueConstraint("agenda_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agenda_id: Mapped[int] = mapped_column(ForeignKey("agendas.id", ondelete="CASCADE"))
    position: Mapped[int]
    label: Mapped[str] = mapped_column(String(100))


class PollVote(db.Model):
    """One vote per resident and agenda (the unique constraint); changing it updates the row."""

    __tablename__ = "poll_votes"
    __table_args__ = (UniqueConstraint("agenda_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agenda_id: Mapped[int] = mapped_column(ForeignKey("agendas.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    option_id: Mapped[int] = mapped_column(
        ForeignKey("poll_options.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    updated_at: Mapped[datetime] = mapped_column(default=clock.now)
