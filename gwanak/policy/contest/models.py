"""Contests, their entries and each entry's history."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from gwanak.accounts.models import HOLDS_DEPARTMENT
from gwanak.core import clock
from gwanak.core.extensions import db
from gwanak.core.menus import menu

CONTEST_DEPARTMENT = menu("policy").owner  # the menu's owner (menus.json)

# Who may enter (응모 자격).
ELIGIBILITY = {
    "resident": "관악구민",
    "worker": "관악구 소재 직장인·학생",
    "official": "공무원",
}
# How an entry arrived (접수 경로).
CHANNELS = {
    "online": "온라인",
    "epeople": "국민신문고",
    "email": "이메일",
    "post": "우편",
    "visit": "방문",
}
OFFLINE_CHANNELS = {k: v for k, v in CHANNELS.items() if k != "online"}


class EntryState:
    """The workflow: 접수 → 실무심사 → 제안심사위원회 → 재심 → 실시."""

    RECEIVED = "received"  # 접수
    EXCLUDED = "excluded"  # 실무심사에서 제외 (중복 · 비제안)
    FORWARDED = "forwarded"  # 실무심사 통과, 제안심사위원회 회부
    EXCELLENT = "excellent"  # 우수제안 (창안등급)
    REJECTED = "rejected"  # 불채택
    ADOPTED = "adopted"  # 재심으로 채택


STATE_LABELS = {
    EntryState.RECEIVED: "접수",
    EntryState.EXCLUDED: "제외",
    EntryState.FORWARDED: "심사위원회 회부",
    EntryState.EXCELLENT: "우수제안",
    EntryState.REJECTED: "불채택",
    EntryState.ADOPTED: "채택(재심)",
}
EXCLUSION_CAUSES = {"duplicate": "중복", "non_proposal": "비제안"}
IMPLEMENTATION_LABELS = {"planned": "실시 예정", "implemented": "실시 완료"}


class Contest(db.Model):
    __tablename__ = "contests"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(unique=True)
    title: Mapped[str] = mapped_column(String(120))
    theme: Mapped[str] = mapped_column(Text)
    opens_on: Mapped[date]
    closes_on: Mapped[date]
    eligibility: Mapped[list] = mapped_column(JSON)  # codes of ELIGIBILITY
    grades: Mapped[list] = mapped_column(JSON)  # 창안등급, best first
    prize_rules: Mapped[str] = mapped_column(Text, default="")
    results_published_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=clock.now)

    owner_department = CONTEST_DEPARTMENT

    def is_open(self, today: date | None = None) -> bool:
        today = today or clock.today()
        return self.opens_on <= today <= self.closes_on

    def deadline_passed(self, today: date | None = None) -> bool:
        """Entries are closed: results may be announced from now on."""
        return (today or clock.today()) > self.closes_on

    @property
    def eligibility_labels(self) -> list[str]:
        return [ELIGIBILITY[c] for c in self.eligibility if c in ELIGIBILITY]


# A merged department's entries still waiting for 실무심사 move with it.
_SCREENER = HOLDS_DEPARTMENT | {"open_when": lambda table: table.c.state == EntryState.RECEIVED}


class ContestEntry(db.Model):
    __tablename__ = "contest_entries"
    __table_args__ = (UniqueConstraint("contest_id", "submitter_id", "title"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("contests.id"), index=True)
    title: Mapped[str] = mapped_column(String(120))
    problem: Mapped[str] = mapped_column(Text)
    proposal: Mapped[str] = mapped_column(Text)
    effect: Mapped[str] = mapped_column(Text)
    attachment_id: Mapped[int | None] = mapped_column(ForeignKey("uploads.id"), unique=True)
    # The account that entered online; offline entries keep only the name.
    submitter_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    submitter_name: Mapped[str] = mapped_column(String(40))
    submitter_contact: Mapped[str] = mapped_column(String(120), default="")
    relation: Mapped[str] = mapped_column(String(12))  # ELIGIBILITY code
    channel: Mapped[str] = mapped_column(String(12), default="online")
    registered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    consented_at: Mapped[datetime]
    state: Mapped[str] = mapped_column(String(12), default=EntryState.RECEIVED, index=True)
    # The department 기획예산과 gave this entry's 실무심사 to (None: itself).
    screening_department: Mapped[str | None] = mapped_column(String(40), info=_SCREENER)
    exclusion_cause: Mapped[str | None] = mapped_column(String(16))
    grade: Mapped[str | None] = mapped_column(String(20))
    rereviewed_at: Mapped[datetime | None]
    implementation: Mapped[str | None] = mapped_column(String(12))
    implemented_on: Mapped[date | None]
    # The day the entry reached the department (an offline one may be registered later).
    received_on: Mapped[date | None]
    prize_paid_on: Mapped[date | None]  # 시상금 지급일
    prize_amount: Mapped[int | None]  # 시상금 (원)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)

    contest = relationship(Contest, lazy="joined")
    submitter = relationship("User", foreign_keys=[submitter_id], lazy="select", viewonly=True)
    attachment = relationship("Upload", lazy="joined")
    events = relationship(
        "ContestEntryEvent", order_by="ContestEntryEvent.id", lazy="selectin", viewonly=True
    )

    owner_department = CONTEST_DEPARTMENT

    @property
    def state_label(self) -> str:
        label = STATE_LABELS[self.state]
        if self.state == EntryState.EXCLUDED and self.exclusion_cause:
            label += f"({EXCLUSION_CAUSES[self.exclusion_cause]})"
        if self.grade:
            label += f" · {self.grade}"
        return label

    @property
    def is_winner(self) -> bool:
        return self.state in (EntryState.EXCELLENT, EntryState.ADOPTED)


class ContestEntryEvent(db.Model):
    """One step of an entry's history: who did what, when, and why."""

    __tablename__ = "contest_entry_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("contest_entries.id"), index=True)
    step: Mapped[str] = mapped_column(String(40))  # Korean label of the step
    from_state: Mapped[str | None] = mapped_column(String(12))
    to_state: Mapped[str] = mapped_column(String(12))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=clock.now)

    actor = relationship("User", lazy="joined")
