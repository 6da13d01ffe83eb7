"""Confirmed event months, their winners and payouts."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from gwanak.core import clock
from gwanak.core.extensions import db
from gwanak.core.menus import menu

EVENT_DEPARTMENT = menu("policy").owner  # the menu's owner (menus.json)
CATEGORIES = {"proposal": "제안 우수", "comment": "댓글 우수"}


class EventMonth(db.Model):
    """A month whose winners staff confirmed (its primary key makes confirming happen once)."""

    __tablename__ = "event_months"

    month: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)  # YYYYMM
    confirmed_at: Mapped[datetime] = mapped_column(default=clock.now)
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    winner_count: Mapped[int] = mapped_column(default=0)

    winners = relationship(
        "EventWinner",
        order_by=lambda: (EventWinner.category.desc(), EventWinner.rank),
        lazy="selectin",
        viewonly=True,
    )

    owner_department = EVENT_DEPARTMENT

    @property
    def label(self) -> str:
        return f"{self.month // 100}년 {self.month % 100}월"


class EventWinner(db.Model):
    __tablename__ = "event_winners"
    __table_args__ = (
        UniqueConstraint("month", "category", "rank"),
        UniqueConstraint("month", "category", "user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[int] = mapped_column(ForeignKey("event_months.month"), index=True)
    category: Mapped[str] = mapped_column(String(10))
    rank: Mapped[int]
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    count: Mapped[int]
    amount: Mapped[int]  # won
    paid_on: Mapped[date | None]
    paid_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(String(200), default="")

    user = relationship("User", foreign_keys=[user_id], lazy="joined", innerjoin=True)

    owner_department = EVENT_DEPARTMENT

    @property
    def category_label(self) -> str:
        return CATEGORIES[self.category]
