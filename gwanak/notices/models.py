"""A notice and its attached files."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from gwanak.core import clock
from gwanak.core.extensions import db


class Notice(db.Model):
    __tablename__ = "notices"
    __table_args__ = (Index("ix_notices_board_listing", "board", "pinned", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # "budget", "governance", "dong:boramae": which board the notice is on.
    board: Mapped[str] = mapped_column(String(40))
    owner_department: Mapped[str | None] = mapped_column(String(40))
    owner_dong: Mapped[str | None] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(150))
    body_md: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str] = mapped_column(Text, default="")
    pinned: Mapped[bool] = mapped_column(default=False)
    views: Mapped[int] = mapped_column(default=0)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    updated_at: Mapped[datetime] = mapped_column(default=clock.now)
    deleted_at: Mapped[datetime | None]

    files = relationship(
        "NoticeFile", order_by="NoticeFile.id", cascade="all, delete-orphan", lazy="selectin"
    )


class NoticeFile(db.Model):
    __tablename__ = "notice_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    notice_id: Mapped[int] = mapped_column(ForeignKey("notices.id", ondelete="CASCADE"), index=True)
    upload_id: Mapped[int] = mapped_column(ForeignKey("uploads.id", ondelete="CASCADE"))

    upload = relationship("Upload", lazy="joined")
