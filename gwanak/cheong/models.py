"""관악청 models: meeting requests with the mayor (데이트), their history, held-meeting records."""

from __future__ import annotations

import enum
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from gwanak.core import clock
from gwanak.core.extensions import db
from gwanak.core.menus import menu

OWNER_DEPARTMENT = menu("cheong").owner  # the menu's owner (menus.json)


class DateState(enum.StrEnum):
    """접수 → 검토중 → 일정확정 → 완료; or 반려 (staff, with a reason) or 취소 (applicant)."""

    RECEIVED = "received"
    REVIEWING = "reviewing"
    SCHEDULED = "scheduled"
    HELD = "held"
    DECLINED = "declined"
    CANCELLED = "cancelled"


STATE_LABELS = {
    DateState.RECEIVED: "접수",
    DateState.REVIEWING: "검토중",
    DateState.SCHEDULED: "일정확정",
    DateState.HELD: "완료",
    DateState.DECLINED: "반려",
    DateState.CANCELLED: "취소",
}
OPEN_STATES = (DateState.RECEIVED, DateState.REVIEWING)
CLOSED_STATES = (DateState.HELD, DateState.DECLINED, DateState.CANCELLED)


class DateApplication(db.Model):
    """A resident's request for a meeting with the mayor (구청장과 소통데이트 신청).

    Personal data (phone, link to the account, the body unless published) is wiped by
    `purge-expired`; what the public board shows (number, topic, masked name, 동, state,
    date) stays.
    """

    __tablename__ = "date_applications"
    # One meeting per slot (a day's 오전 or 오후): the database refuses a second booking
    # even when two staff schedule at the same moment.
    __table_args__ = (
        Index(
            "uq_date_applications_slot",
            "scheduled_date",
            "scheduled_slot",
            unique=True,
            sqlite_where=text("state IN ('scheduled', 'held')"),
            postgresql_where=text("state IN ('scheduled', 'held')"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    applicant_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    # Masked at submission (김*우), so the board never reads the account.
    masked_name: Mapped[str] = mapped_column(String(40))
    dong: Mapped[str | None] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(100))
    body: Mapped[str | None] = mapped_column(Text)
    publish_body: Mapped[bool] = mapped_column(Boolean, default=False)
    group_size: Mapped[int] = mapped_column(default=1)
    # [{"date": "2026-12-01", "slot": "오전"}, …] two or three choices.
    preferences: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    phone: Mapped[str | None] = mapped_column(String(20))
    consented_at: Mapped[datetime | None]
    state: Mapped[str] = mapped_column(String(12), default=DateState.RECEIVED, index=True)
    decline_reason: Mapped[str | None] = mapped_column(String(500))
    scheduled_date: Mapped[date | None] = mapped_column(index=True)
    scheduled_time: Mapped[time | None]
    scheduled_slot: Mapped[str | None] = mapped_column(String(4))  # 오전 · 오후
    place: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=clock.now, index=True)
    updated_at: Mapped[datetime] = mapped_column(default=clock.now)
    closed_at: Mapped[datetime | None] = mapped_column(index=True)
    purged_at: Mapped[datetime | None]

    applicant = relationship("User", lazy="select")
    changes: Mapped[list[DateStateChange]] = relationship(
        back_populates="application",
        order_by="DateStateChange.id",
        cascade="all, delete-orphan",
    )

    owner_department = OWNER_DEPARTMENT

    @property
    def state_label(self) -> str:
        return STATE_LABELS[DateState(self.state)]

    @property
    def is_open(self) -> bool:
        """The applicant may still change or cancel it (until it is scheduled)."""
        return self.state in OPEN_STATES


class DateStateChange(db.Model):
    """Every change of an application: state moves and the applicant's edits."""

    __tablename__ = "date_state_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("date_applications.id", ondelete="CASCADE"), index=True
    )
    from_state: Mapped[str | None] = mapped_column(String(12))
    to_state: Mapped[str] = mapped_column(String(12))
    note: Mapped[str | None] = mapped_column(String(500))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=clock.now)

    application: Mapped[DateApplication] = relationship(back_populates="changes")

    @property
    def to_label(self) -> str:
        return STATE_LABELS[DateState(self.to_state)]


class DateRecord(db.Model):
    """The published record of a held meeting (구청장과 소통데이트)."""

    __tablename__ = "date_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int | None] = mapped_column(
        ForeignKey("date_applications.id", ondelete="SET NULL"), unique=True
    )
    title: Mapped[str] = mapped_column(String(100))
    held_on: Mapped[date] = mapped_column(index=True)
    discussed: Mapped[str] = mapped_column(Text)  # Markdown, staff-written
    actions: Mapped[str] = mapped_column(Text, default="")  # what the district will do
    published_at: Mapped[datetime | None] = mapped_column(index=True)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    updated_at: Mapped[datetime] = mapped_column(default=clock.now)

    application = relationship("DateApplication", lazy="joined")
    photos: Mapped[list[DatePhoto]] = relationship(
        back_populates="record", order_by="DatePhoto.id", cascade="all, delete-orphan"
    )
    follow_ups: Mapped[list[DateFollowUp]] = relationship(
        back_populates="record", order_by="DateFollowUp.id", cascade="all, delete-orphan"
    )

    owner_department = OWNER_DEPARTMENT

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class DateFollowUp(db.Model):
    """A later update on what the district did after the meeting (추진 상황)."""

    __tablename__ = "date_follow_ups"

    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[int] = mapped_column(
        ForeignKey("date_records.id", ondelete="CASCADE"), index=True
    )
    body: Mapped[str] = mapped_column(Text)  # Markdown
    created_at: Mapped[datetime] = mapped_column(default=clock.now)

    record: Mapped[DateRecord] = relationship(back_populates="follow_ups")


class DatePhoto(db.Model):
    __tablename__ = "date_photos"
    __table_args__ = (UniqueConstraint("upload_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[int] = mapped_column(
        ForeignKey("date_records.id", ondelete="CASCADE"), index=True
    )
    upload_id: Mapped[int] = mapped_column(ForeignKey("uploads.id", ondelete="CASCADE"))
    alt: Mapped[str] = mapped_column(String(200))
    width: Mapped[int]
    height: Mapped[int]

    record: Mapped[DateRecord] = relationship(back_populates="photos")
    upload = relationship("Upload", lazy="joined")
