"""The pledge catalogue (공약): vision areas → strategy goals → pledge groups → pledges.

A pledge (세부공약, e.g. 6-1-1) has indicators (지표) with yearly and quarterly targets
and actuals, a budget plan and execution per year and source, and dated milestones
(추진실적). A pledge group (e.g. 6-1) may carry indicators of its own; its roll-up rule
(`rollup_group` : `rollup_pledges`) says how the group's rate and a pledge's rate combine
(the district's card counts them 50:50). Rates are computed in gwanak/manifesto/rates.py.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    event,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from gwanak.core import clock
from gwanak.core.extensions import db
from gwanak.core.operations import OperationError

STATUSES = ("완료", "이행 후 지속추진", "정상추진", "부진")
KINDS = ("신규", "계속")
COMPLETIONS = ("임기 내", "임기 후")
ACTORS = ("국가", "서울시", "자치구")
BUDGET_SOURCES = ("국비", "시비", "구비", "기타")
# Amounts are in million won (백만원), as on the district's card.
AMOUNT = Numeric(14, 3, asdecimal=True)


class VisionArea(db.Model):
    """비전 분야."""

    __tablename__ = "manifesto_areas"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(default=0)

    goals: Mapped[list[StrategyGoal]] = relationship(
        back_populates="area", order_by="StrategyGoal.position"
    )


class StrategyGoal(db.Model):
    """전략목표."""

    __tablename__ = "manifesto_goals"

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("manifesto_areas.id"), index=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(default=0)

    area: Mapped[VisionArea] = relationship(back_populates="goals")
    groups: Mapped[list[PledgeGroup]] = relationship(
        back_populates="goal", order_by="PledgeGroup.position"
    )


class PledgeGroup(db.Model):
    """공약 (e.g. 6-1), the parent of 세부공약."""

    __tablename__ = "manifesto_groups"
    __table_args__ = (
        CheckConstraint("rollup_group >= 0 AND rollup_pledges >= 0", name="rollup_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    goal_id: Mapped[int] = mapped_column(ForeignKey("manifesto_goals.id"), index=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(default=0)
    # Roll-up rule: the group's own indicators count rollup_group, the pledge's rollup_pledges.
    rollup_group: Mapped[int] = mapped_column(default=0)
    rollup_pledges: Mapped[int] = mapped_column(default=100)

    goal: Mapped[StrategyGoal] = relationship(back_populates="groups")
    pledges: Mapped[list[Pledge]] = relationship(back_populates="group", order_by="Pledge.position")
    indicators: Mapped[list[Indicator]] = relationship(
        back_populates="group",
        order_by="Indicator.no",
        cascade="all, delete-orphan",
        foreign_keys="Indicator.group_id",
    )


class Pledge(db.Model):
    """세부공약 (e.g. 6-1-1)."""

    __tablename__ = "manifesto_pledges"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("manifesto_groups.id"), index=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(default=0)
    department: Mapped[str] = mapped_column(String(40), index=True)
    kind: Mapped[str] = mapped_column(String(8))  # 신규 / 계속
    completion: Mapped[str] = mapped_column(String(8))  # 임기 내 / 임기 후
    period_start: Mapped[int]
    period_end: Mapped[int]
    actor: Mapped[str] = mapped_column(String(8))  # 국가 / 서울시 / 자치구
    central_help: Mapped[str] = mapped_column(String(40), default="해당없음")
    status: Mapped[str] = mapped_column(String(16), index=True)
    goals: Mapped[list[str]] = mapped_column(JSON, default=list)
    plan: Mapped[str] = mapped_column(Text, default="")
    effects: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(default=clock.now)
    # A demo pledge that illustrates the pages, not one of the mayor's: marked on every
    # page and left out of the averages.
    illustrative: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # 폐기·철회: staff retire a pledge with a reason; it stays listed, marked, and leaves
    # the averages. History of retiring and restoring is in PledgeChange.
    retired_on: Mapped[date | None] = mapped_column()
    retired_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    # 주민참여마당: residents' comments on the pledge (the participation engine's thread).
    discussion_id: Mapped[int | None] = mapped_column(ForeignKey("discussions.id"), unique=True)

    group: Mapped[PledgeGroup] = relationship(back_populates="pledges")
    discussion = relationship("Discussion", lazy="joined")
    indicators: Mapped[list[Indicator]] = relationship(
        back_populates="pledge",
        order_by="Indicator.no",
        cascade="all, delete-orphan",
        foreign_keys="Indicator.pledge_id",
    )
    budget_lines: Mapped[list[BudgetLine]] = relationship(
        back_populates="pledge",
        order_by="(BudgetLine.year, BudgetLine.source)",
        cascade="all, delete-orphan",
    )
    milestones: Mapped[list[Milestone]] = relationship(
        back_populates="pledge",
        order_by="(Milestone.happened_on, Milestone.id)",
        cascade="all, delete-orphan",
    )

    snapshots: Mapped[list[PledgeSnapshot]] = relationship(
        back_populates="pledge",
        order_by="(PledgeSnapshot.as_of.desc(), PledgeSnapshot.id.desc())",
    )

    @property
    def owner_department(self) -> str:
        return self.department

    @property
    def retired(self) -> bool:
        return self.retired_on is not None

    @property
    def counted(self) -> bool:
        """Whether the pledge counts in the overall averages."""
        return not (self.illustrative or self.retired)


class Indicator(db.Model):
    """지표: belongs to a pledge, or to a pledge group (its own indicators)."""

    __tablename__ = "manifesto_indicators"
    __table_args__ = (
        CheckConstraint(
            "(pledge_id IS NULL) <> (group_id IS NULL)", name="indicator_has_one_owner"
        ),
        CheckConstraint("weight >= 0", name="weight_not_negative"),
        UniqueConstraint("pledge_id", "no", name="uq_indicator_pledge_no"),
        UniqueConstraint("group_id", "no", name="uq_indicator_group_no"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    pledge_id: Mapped[int | None] = mapped_column(
        ForeignKey("manifesto_pledges.id", ondelete="CASCADE"), index=True
    )
    group_id: Mapped[int | None] = mapped_column(
        ForeignKey("manifesto_groups.id", ondelete="CASCADE"), index=True
    )
    no: Mapped[int]
    name: Mapped[str] = mapped_column(String(200))
    measure: Mapped[str] = mapped_column(String(200), default="")
    unit: Mapped[str] = mapped_column(String(20), default="")
    weight: Mapped[int]
    target: Mapped[Decimal] = mapped_column(AMOUNT)
    # A named source from gwanak/core/live_figures.py feeds the actuals from live_from on.
    live_source: Mapped[str | None] = mapped_column(String(80))
    live_from: Mapped[int | None]

    pledge: Mapped[Pledge | None] = relationship(
        back_populates="indicators", foreign_keys=[pledge_id]
    )
    group: Mapped[PledgeGroup | None] = relationship(
        back_populates="indicators", foreign_keys=[group_id]
    )
    figures: Mapped[list[IndicatorFigure]] = relationship(
        back_populates="indicator",
        order_by="(IndicatorFigure.year, IndicatorFigure.quarter)",
        cascade="all, delete-orphan",
    )


class IndicatorFigure(db.Model):
    """A target and/or actual for one year (quarter 0) or one quarter (1–4)."""

    __tablename__ = "manifesto_figures"
    __table_args__ = (
        UniqueConstraint("indicator_id", "year", "quarter", name="uq_figure_period"),
        CheckConstraint("quarter BETWEEN 0 AND 4", name="quarter_range"),
        CheckConstraint(
            "(target IS NULL OR target >= 0) AND (actual IS NULL OR actual >= 0)",
            name="figure_not_negative",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(
        ForeignKey("manifesto_indicators.id", ondelete="CASCADE"), index=True
    )
    year: Mapped[int]
    quarter: Mapped[int] = mapped_column(default=0)
    target: Mapped[Decimal | None] = mapped_column(AMOUNT)
    actual: Mapped[Decimal | None] = mapped_column(AMOUNT)

    indicator: Mapped[Indicator] = relationship(back_populates="figures")


class BudgetLine(db.Model):
    """Budget planned and executed in one year from one source (million won)."""

    __tablename__ = "manifesto_budget"
    __table_args__ = (
        UniqueConstraint("pledge_id", "year", "source", name="uq_budget_year_source"),
        CheckConstraint(
            "planned >= 0 AND (executed IS NULL OR executed >= 0)", name="budget_not_negative"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    pledge_id: Mapped[int] = mapped_column(
        ForeignKey("manifesto_pledges.id", ondelete="CASCADE"), index=True
    )
    year: Mapped[int]
    source: Mapped[str] = mapped_column(String(8))
    planned: Mapped[Decimal] = mapped_column(AMOUNT, default=Decimal(0))
    executed: Mapped[Decimal | None] = mapped_column(AMOUNT)

    pledge: Mapped[Pledge] = relationship(back_populates="budget_lines")


class Milestone(db.Model):
    """추진실적: a dated step, shown as a timeline."""

    __tablename__ = "manifesto_milestones"

    id: Mapped[int] = mapped_column(primary_key=True)
    pledge_id: Mapped[int] = mapped_column(
        ForeignKey("manifesto_pledges.id", ondelete="CASCADE"), index=True
    )
    happened_on: Mapped[date]
    # How the card words the date ("2022. 하반기", "2023. 7.~12."); empty → the date.
    when_label: Mapped[str] = mapped_column(String(40), default="")
    title: Mapped[str] = mapped_column(String(200))
    detail: Mapped[str] = mapped_column(Text, default="")

    pledge: Mapped[Pledge] = relationship(back_populates="milestones")


class PledgeChange(db.Model):
    """History of staff updates on a pledge (actuals, execution, status, milestones)."""

    __tablename__ = "manifesto_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    pledge_id: Mapped[int] = mapped_column(
        ForeignKey("manifesto_pledges.id", ondelete="CASCADE"), index=True
    )
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    what: Mapped[str] = mapped_column(String(200))
    before: Mapped[str | None] = mapped_column(String(500))
    after: Mapped[str | None] = mapped_column(String(500))

    actor = relationship("User", lazy="joined")


PERIOD_KINDS = {"quarter": "분기", "half": "반기", "year": "연간"}
# The period numbers each kind allows: quarters 1–4, halves 1–2, the year 0.
PERIOD_NUMBERS = {"quarter": (1, 2, 3, 4), "half": (1, 2), "year": (0,)}
RATE = Numeric(5, 1, asdecimal=True)


def period_label(kind: str, year: int, number: int) -> str:
    if kind == "quarter":
        return f"{year}년 {number}분기"
    if kind == "half":
        return f"{year}년 {'상반기' if number == 1 else '하반기'}"
    return f"{year}년"


class PledgeSnapshot(db.Model):
    """공표: the figures of a pledge the coordinating department confirmed for a reporting
    period, as of its 기준일. Frozen once written (see `_refuse_change` below): a
    correction is a later snapshot, never an edit of this one."""

    __tablename__ = "manifesto_snapshots"
    __table_args__ = (
        UniqueConstraint(
            "pledge_id", "year", "period_kind", "period_no", name="uq_snapshot_period"
        ),
        CheckConstraint("period_kind IN ('quarter', 'half', 'year')", name="snapshot_period_kind"),
        CheckConstraint("period_no BETWEEN 0 AND 4", name="snapshot_period_no"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    pledge_id: Mapped[int] = mapped_column(ForeignKey("manifesto_pledges.id"), index=True)
    year: Mapped[int]
    period_kind: Mapped[str] = mapped_column(String(8))
    period_no: Mapped[int] = mapped_column(default=0)
    as_of: Mapped[date]  # 기준일
    published_at: Mapped[datetime] = mapped_column(default=clock.now)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    rate: Mapped[Decimal] = mapped_column(RATE)  # the pledge's own weighted rate
    group_rate: Mapped[Decimal] = mapped_column(RATE)
    total_rate: Mapped[Decimal] = mapped_column(RATE)
    budget_planned: Mapped[Decimal] = mapped_column(AMOUNT)
    budget_executed: Mapped[Decimal] = mapped_column(AMOUNT)
    note: Mapped[str] = mapped_column(Text, default="")

    pledge: Mapped[Pledge] = relationship(back_populates="snapshots")
    published_by = relationship("User", lazy="joined")
    indicators: Mapped[list[SnapshotIndicator]] = relationship(
        back_populates="snapshot", order_by="SnapshotIndicator.no"
    )

    @property
    def label(self) -> str:
        return period_label(self.period_kind, self.year, self.period_no)


class SnapshotIndicator(db.Model):
    """One indicator as published: its name and figures copied, so a later catalogue
    import that renames or reweighs the indicator leaves the published figures alone."""

    __tablename__ = "manifesto_snapshot_indicators"
    __table_args__ = (UniqueConstraint("snapshot_id", "no", name="uq_snapshot_indicator_no"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    snapshot_id: Mapped[int] = mapped_column(ForeignKey("manifesto_snapshots.id"), index=True)
    no: Mapped[int]
    name: Mapped[str] = mapped_column(String(200))
    unit: Mapped[str] = mapped_column(String(20), default="")
    weight: Mapped[int]
    target: Mapped[Decimal] = mapped_column(AMOUNT)
    actual: Mapped[Decimal] = mapped_column(AMOUNT)
    rate: Mapped[Decimal] = mapped_column(RATE)

    snapshot: Mapped[PledgeSnapshot] = relationship(back_populates="indicators")


class SnapshotFrozen(OperationError):
    """A published snapshot was about to be changed or deleted: a bug in the caller,
    refused at flush whatever code tried it."""


def _refuse_change(mapper, connection, target) -> None:
    raise SnapshotFrozen("공표한 실적은 바꾸거나 지울 수 없습니다.", status=409)


# Published figures are immutable: the ORM refuses any UPDATE or DELETE of them.
for _frozen in (PledgeSnapshot, SnapshotIndicator):
    event.listen(_frozen, "before_update", _refuse_change)
    event.listen(_frozen, "before_delete", _refuse_change)
