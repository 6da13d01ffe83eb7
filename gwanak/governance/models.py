"""협치관악: the archive (자료실) and the yearly governance tasks (연도별 협치과제)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from gwanak.core import clock
from gwanak.core.extensions import db
from gwanak.core.permissions import AUTONOMY_DEPARTMENT


class ArchiveItem(db.Model):
    """A 자료실 entry: a title, a description, a category and its files."""

    __tablename__ = "archive_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(150))
    description: Mapped[str] = mapped_column(Text, default="")
    category: Mapped[str] = mapped_column(String(40), index=True)
    owner_department: Mapped[str | None] = mapped_column(String(40), default=AUTONOMY_DEPARTMENT)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=clock.now, index=True)
    updated_at: Mapped[datetime] = mapped_column(default=clock.now)
    deleted_at: Mapped[datetime | None]

    files = relationship(
        "ArchiveFile", order_by="ArchiveFile.id", cascade="all, delete-orphan", lazy="selectin"
    )


class ArchiveFile(db.Model):
    __tablename__ = "archive_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(
        ForeignKey("archive_items.id", ondelete="CASCADE"), index=True
    )
    upload_id: Mapped[int] = mapped_column(ForeignKey("uploads.id", ondelete="CASCADE"))

    upload = relationship("Upload", lazy="joined")


class GovernanceTask(db.Model):
    """One year's governance task (협치과제) with its partners and results."""

    __tablename__ = "governance_tasks"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(index=True)
    title: Mapped[str] = mapped_column(String(150))
    summary: Mapped[str] = mapped_column(Text, default="")
    # Partner organisations, one per line (민간 단체, 중간지원조직, 위원회…).
    partners: Mapped[str] = mapped_column(Text, default="")
    department: Mapped[str] = mapped_column(String(40))  # the 구청 department in charge
    state: Mapped[str] = mapped_column(String(20))
    result: Mapped[str] = mapped_column(Text, default="")  # the year's results
    owner_department: Mapped[str | None] = mapped_column(String(40), default=AUTONOMY_DEPARTMENT)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    updated_at: Mapped[datetime] = mapped_column(default=clock.now)

    updates = relationship(
        "TaskUpdate",
        order_by="(TaskUpdate.on_date.desc(), TaskUpdate.id.desc())",
        cascade="all, delete-orphan",
        lazy="select",
    )

    @property
    def partner_list(self) -> list[str]:
        return [p.strip() for p in self.partners.splitlines() if p.strip()]


class TaskUpdate(db.Model):
    """A dated progress note on a task."""

    __tablename__ = "governance_task_updates"

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(
        ForeignKey("governance_tasks.id", ondelete="CASCADE"), index=True
    )
    on_date: Mapped[date]
    body: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
