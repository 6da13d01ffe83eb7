"""주민자치회 content per 동 beyond its stored page: committee members and programmes.

Both are owned by the 동 (`owner_dong`), so a 동 주민센터 edits only its own and
자치행정과 edits all (gwanak/core/permissions.py).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from gwanak.core import clock
from gwanak.core.extensions import db
from gwanak.core.permissions import AUTONOMY_DEPARTMENT


class DongMember(db.Model):
    """A committee member: a public office holder, so the name is shown as entered.
    No contact details are stored at all."""

    __tablename__ = "dong_members"

    id: Mapped[int] = mapped_column(primary_key=True)
    dong: Mapped[str] = mapped_column(String(40), index=True)
    name: Mapped[str] = mapped_column(String(40))
    role: Mapped[str] = mapped_column(String(40))  # 회장, 부회장, 간사, 분과장, 위원…
    position: Mapped[int] = mapped_column(default=0)  # order on the page
    created_at: Mapped[datetime] = mapped_column(default=clock.now)

    owner_department = AUTONOMY_DEPARTMENT

    @property
    def owner_dong(self) -> str:
        return self.dong


class DongProgramme(db.Model):
    """A programme the 동's council runs (강좌, 마을축제, 공동체 사업…)."""

    __tablename__ = "dong_programmes"

    id: Mapped[int] = mapped_column(primary_key=True)
    dong: Mapped[str] = mapped_column(String(40), index=True)
    title: Mapped[str] = mapped_column(String(120))
    schedule: Mapped[str] = mapped_column(String(120), default="")  # "매주 화 10:00"
    place: Mapped[str] = mapped_column(String(120), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)

    owner_department = AUTONOMY_DEPARTMENT

    @property
    def owner_dong(self) -> str:
        return self.dong
