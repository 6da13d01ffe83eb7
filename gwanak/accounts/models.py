"""Users and their roles."""

from __future__ import annotations

import enum
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import JSON, ForeignKey, String, select
from sqlalchemy.orm import Mapped, mapped_column

from gwanak.core import clock
from gwanak.core.extensions import db


class Role(enum.StrEnum):
    RESIDENT = "resident"
    STAFF = "staff"
    MAYOR = "mayor"
    ADMIN = "admin"


ROLE_LABELS = {
    Role.RESIDENT: "주민",
    Role.STAFF: "직원",
    Role.MAYOR: "구청장",
    Role.ADMIN: "관리자",
}


class Level(enum.IntEnum):
    """How sure the portal is that an account is a real person (CONSUL-style levels).
    Participation (공감, comments, votes, proposals) needs at least EMAIL; a board's rules
    may ask for more (`board.<slug>.participation_level`)."""

    NONE = 0  # signed up, e-mail not confirmed: may log in and read
    EMAIL = 1  # e-mail address confirmed by the mailed link
    DONG = 2  # checked in person at a 동 주민센터 (later)
    IDENTITY = 3  # 본인인증 through an identity provider (later)


LEVEL_LABELS = {
    Level.NONE: "이메일 미인증",
    Level.EMAIL: "이메일 인증",
    Level.DONG: "동 주민센터 확인",
    Level.IDENTITY: "본인인증",
}

# 관악구와의 관계 (who may take part: residents, workers and students of Gwanak).
RELATIONS = ("거주", "직장", "학교")


# Marks a column that holds a department's name: renaming a department rewrites every
# such column; merging one moves the rows `open_when(table)` selects (all when absent).
HOLDS_DEPARTMENT = {"holds_department": True}


class DepartmentKind(enum.StrEnum):
    OFFICE = "과"  # a 과 or 담당관 of the district office
    DONG = "동"  # a 동 주민센터


class Department(db.Model):
    """One unit of the district's organisation (gwanak/data/organisation.json): a 과
    grouped under its 국, or a 동 주민센터. Rows are never deleted: a retired or merged
    department keeps its name for the answers it gave; its history is the audit log."""

    __tablename__ = "departments"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(40), unique=True)
    group: Mapped[str] = mapped_column(String(40))  # 국 (or 동 주민센터)
    kind: Mapped[str] = mapped_column(String(4), default=DepartmentKind.OFFICE)
    dong: Mapped[str | None] = mapped_column(String(40))
    active: Mapped[bool] = mapped_column(default=True)
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    retired_at: Mapped[datetime | None]
    # Names it had before a rename, so owners named in data files (menus.json) still find it.
    former_names: Mapped[list | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)

    @property
    def status_label(self) -> str:
        if self.active:
            return "운영"
        return "통합" if self.merged_into_id else "폐지"


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    name: Mapped[str] = mapped_column(String(40))
    role: Mapped[str] = mapped_column(String(16), default=Role.RESIDENT, index=True)
    # Staff belong to one department (a Department's name), or to one 동 주민센터
    # (office_dong). Renames and merges carry it (see accounts/organisation.py).
    department: Mapped[str | None] = mapped_column(String(40), info=HOLDS_DEPARTMENT)
    office_dong: Mapped[str | None] = mapped_column(String(40))
    # Residents: relation to Gwanak and their 동.
    relation: Mapped[str | None] = mapped_column(String(8))
    dong: Mapped[str | None] = mapped_column(String(40))
    privacy_consented_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    # Bumped on log-out, password change and deletion: the session and "remember me"
    # cookies carry it (get_id), so every older cookie stops working at once.
    session_version: Mapped[int] = mapped_column(default=1)
    deleted_at: Mapped[datetime | None]
    # Verification level (Level): 0 until the e-mail is confirmed.
    verification_level: Mapped[int] = mapped_column(default=Level.NONE, server_default="0")
    email_confirmed_at: Mapped[datetime | None]
    # The sign-up address as a keyed hash (HMAC with SECRET_KEY, accounts.throttle):
    # lets staff see bursts of new accounts from one network; never the address itself.
    signup_address_key: Mapped[str | None] = mapped_column(String(64), index=True)

    @property
    def is_confirmed(self) -> bool:
        return self.verification_level >= Level.EMAIL

    @property
    def level_label(self) -> str:
        return LEVEL_LABELS.get(Level(min(self.verification_level, 3)), "")

    @property
    def is_active(self) -> bool:  # Flask-Login: deleted accounts cannot log in.
        return self.deleted_at is None

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    @property
    def is_staff(self) -> bool:
        return self.role in (Role.STAFF, Role.ADMIN)

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def is_mayor(self) -> bool:
        return self.role == Role.MAYOR

    @property
    def is_resident(self) -> bool:
        return self.role == Role.RESIDENT

    @property
    def department_names(self) -> frozenset[str]:
        """Its department's name and the names it had before renames, so what a data
        file (menus.json) names under an old name stays its own."""
        if not self.department:
            return frozenset()
        cached = getattr(self, "_department_names", None)
        if cached and cached[0] == self.department:
            return cached[1]
        row = db.session.scalar(select(Department).where(Department.name == self.department))
        names = frozenset({self.department, *((row.former_names or []) if row else [])})
        self._department_names = (self.department, names)
        return names

    @property
    def role_label(self) -> str:
        return ROLE_LABELS[Role(self.role)]

    @property
    def affiliation(self) -> str:
        """What a staff member belongs to, in words."""
        if self.office_dong:
            from gwanak.core.menus import dong

            d = dong(self.office_dong)
            return d.office_name if d else self.office_dong
        return self.department or ""


class PasswordResetToken(db.Model):
    """A single-use reset link; only the token's hash is stored."""

    __tablename__ = "password_reset_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]


class LoginThrottle(db.Model):
    """Failed log-in attempts counted per key: (account, address), address, account, or
    the owner's device. The key is a keyed hash (HMAC with SECRET_KEY): no address or
    e-mail in clear. See gwanak/accounts/throttle.py."""

    __tablename__ = "login_throttles"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    last_failure_at: Mapped[datetime | None]
    blocked_until: Mapped[datetime | None]
