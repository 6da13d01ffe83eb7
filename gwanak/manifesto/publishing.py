"""공표: the coordinating department confirms a pledge's figures for a reporting period.

The manifesto menu's owner (기획예산과 in data/menus.json) coordinates the pledges: it
publishes each pledge's figures for a quarter, a half or a year as of a 기준일, and those
figures are frozen (`PledgeSnapshot`, immutable). Pages show the latest published
figures first and the live count beside them, marked as unconfirmed. The coordinating
department may also update every pledge, and retire one (폐기·철회) with a reason.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from gwanak.core import clock
from gwanak.core.audit import record_audit
from gwanak.core.csv_safe import csv_text
from gwanak.core.extensions import db
from gwanak.core.menus import menu
from gwanak.core.operations import OperationError
from gwanak.core.permissions import department, may_edit
from gwanak.manifesto.models import (
    PERIOD_KINDS,
    PERIOD_NUMBERS,
    Pledge,
    PledgeChange,
    PledgeSnapshot,
    SnapshotIndicator,
    period_label,
)
from gwanak.manifesto.rates import (
    PledgeReport,
    indicator_rate,
    pledge_report,
    rollup_rate,
    weighted_rate,
)
from gwanak.participation.operations import notify_followers


def coordinating_department() -> str:
    """The manifesto menu's owner: it publishes figures and may update every pledge."""
    return menu("manifesto").owner


def may_coordinate(user) -> bool:
    return may_edit(user, department(coordinating_department()))


def may_update(user, pledge: Pledge) -> bool:
    """The pledge's own department, or the coordinating department."""
    return may_edit(user, pledge) or may_coordinate(user)


def _period_bounds(kind: str, year: int, number: int) -> tuple[date, date]:
    if kind == "quarter":
        first = 3 * (number - 1) + 1
        return date(year, first, 1), _month_end(year, first + 2)
    if kind == "half":
        first = 1 if number == 1 else 7
        return date(year, first, 1), _month_end(year, first + 5)
    return date(year, 1, 1), date(year, 12, 31)


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


@dataclass(frozen=True)
class Period:
    kind: str
    year: int
    number: int
    as_of: date

    @property
    def label(self) -> str:
        return period_label(self.kind, self.year, self.number)


def check_period_itself(period: Period) -> None:
    """Refuse a period that is wrong whatever the pledge (nothing written)."""
    if period.kind not in PERIOD_KINDS:
        raise OperationError("공표 주기를 분기·반기·연간 중에서 고르세요.", field="kind")
    if period.number not in PERIOD_NUMBERS[period.kind]:
        raise OperationError(
            {
                "quarter": "분기는 1~4 중에서 고르세요.",
                "half": "반기는 상반기·하반기 중에서 고르세요.",
            }.get(period.kind, "연간 공표에는 분기·반기를 고르지 않습니다."),
            field="number",
        )
    start, _ = _period_bounds(period.kind, period.year, period.number)
    if period.as_of < start:
        raise OperationError(
            f"기준일은 {period.label}이 시작한 뒤({start:%Y. %-m. %-d.} 이후)여야 합니다.",
            field="as_of",
        )
    if period.as_of > clock.today():
        raise OperationError("기준일은 오늘 이후일 수 없습니다.", field="as_of")


def _published(pledge: Pledge, period: Period) -> bool:
    return (
        db.session.scalar(
            select(PledgeSnapshot.id).where(
                PledgeSnapshot.pledge_id == pledge.id,
                PledgeSnapshot.year == period.year,
                PledgeSnapshot.period_kind == period.kind,
                PledgeSnapshot.period_no == period.number,
            )
        )
        is not None
    )


def check_period(pledge: Pledge, period: Period) -> None:
    """Refuse a period the pledge cannot be published for (nothing written)."""
    if not pledge.period_start <= period.year <= pledge.period_end:
        raise OperationError(
            f"사업기간({pledge.period_start}~{pledge.period_end}년) 안의 연도를 고르세요.",
            field="year",
        )
    check_period_itself(period)
    if _published(pledge, period):
        raise OperationError(
            f"{period.label} 실적은 이미 공표했습니다. 공표한 실적은 바꿀 수 없으니 "
            "바로잡을 내용은 다음 공표에 반영하세요.",
            field="number",
            status=409,
        )


def _snapshot(pledge: Pledge, period: Period, actor_id, note: str) -> PledgeSnapshot:
    return PledgeSnapshot(
        pledge_id=pledge.id,
        year=period.year,
        period_kind=period.kind,
        period_no=period.number,
        as_of=period.as_of,
        published_at=clock.now(),
        published_by_id=actor_id,
        note=note,
    )


def _record(pledge: Pledge, what: str, before, after, actor_id, action: str) -> None:
    """Step: the pledge's public history and the audit entry (no commit)."""
    db.session.add(
        PledgeChange(
            pledge_id=pledge.id,
            actor_id=actor_id,
            what=what,
            before=before,
            after=after,
            created_at=clock.now(),
        )
    )
    record_audit(
        action, "pledge", pledge.code, before={what: before}, after={what: after}, actor_id=actor_id
    )


def freeze_report(
    report: PledgeReport, period: Period, actor_id: int | None, note: str = ""
) -> PledgeSnapshot:
    """Step: write the report's figures as the period's snapshot (no commit)."""
    pledge = report.pledge
    snapshot = _snapshot(pledge, period, actor_id, note)
    snapshot.rate, snapshot.group_rate = report.rate, report.group_rate
    snapshot.total_rate = report.total_rate
    snapshot.budget_planned = report.budget.planned
    snapshot.budget_executed = report.budget.executed
    snapshot.indicators = [
        SnapshotIndicator(
            no=r.indicator.no,
            name=r.indicator.name,
            unit=r.indicator.unit,
            weight=r.indicator.weight,
            target=r.indicator.target,
            actual=r.actual,
            rate=r.rate,
        )
        for r in report.indicators
    ]
    db.session.add(snapshot)
    _record(pledge, "실적 공표", None, _summary(snapshot), actor_id, "manifesto.publish")
    if pledge.discussion_id is not None:  # those following its discussion (알림 받기)
        notify_followers(
            pledge.discussion_id,
            "published",
            "[온라인 관악청] 알림 받던 공약의 실적이 공표되었습니다",
            f"공약 {pledge.code} {pledge.title}: {_summary(snapshot)} 공표",
            actor_id=actor_id,
        )
    return snapshot


def freeze_figures(
    pledge: Pledge,
    period: Period,
    actuals: dict[int, Decimal],
    budget_executed: Decimal,
    actor_id: int | None,
) -> PledgeSnapshot:
    """Step: a snapshot from figures given as they were published (the catalogue's
    `published` entries, e.g. the card's 2023. 12. 18.); targets and weights are the
    pledge's indicators, the rates computed as the card computes them. No commit."""
    snapshot = _snapshot(pledge, period, actor_id, "공약 목록 가져오기")
    rows = []
    for ind in pledge.indicators:
        actual = actuals.get(ind.no, Decimal(0))
        rows.append(
            SnapshotIndicator(
                no=ind.no,
                name=ind.name,
                unit=ind.unit,
                weight=ind.weight,
                target=ind.target,
                actual=actual,
                rate=indicator_rate(actual, ind.target),
            )
        )
    snapshot.indicators = rows
    snapshot.rate = weighted_rate((r.weight, r.rate) for r in rows)
    group = pledge.group
    snapshot.group_rate = pledge_report(pledge, period.as_of.year).group_rate
    snapshot.total_rate = rollup_rate(
        snapshot.group_rate, snapshot.rate, group.rollup_group, group.rollup_pledges
    )
    snapshot.budget_planned = sum((b.planned for b in pledge.budget_lines), Decimal(0))
    snapshot.budget_executed = budget_executed
    # The import's own audit entry covers it; the pledge's history shows what staff changed.
    db.session.add(snapshot)
    return snapshot


def _summary(snapshot: PledgeSnapshot) -> str:
    return (
        f"{snapshot.label} (기준일 {snapshot.as_of:%Y. %-m. %-d.}) 총 이행률 {snapshot.total_rate}%"
    )


def publish_figures(pledge: Pledge, period: Period, actor, note: str = "") -> PledgeSnapshot:
    """공표: freeze the pledge's figures for the period as of its 기준일, and commit.

    Only the coordinating department publishes; a period is published once."""
    if not may_coordinate(actor):
        raise OperationError(
            f"실적 공표는 {coordinating_department()}에서만 할 수 있습니다.", status=403
        )
    check_period(pledge, period)
    if len(note) > 500:
        raise OperationError("비고는 500자 이하여야 합니다.", field="note")
    db.session.execute(select(Pledge.id).where(Pledge.id == pledge.id).with_for_update())
    # Live sources count up to the period's year: 2024's figures published in January
    # 2025 must not take January's agendas.
    report = pledge_report(pledge, this_year=period.year)
    snapshot = freeze_report(report, period, actor.id, note.strip())
    db.session.commit()
    return snapshot


@dataclass
class BulkResult:
    published: list[str]  # pledge codes
    skipped: list[str]  # already published for the period, or outside their term


def publish_all(period: Period, actor, reports: list[PledgeReport], note: str = "") -> BulkResult:
    """공표 of every pledge that counts (not retired, not illustrative) for the period, in
    one transaction: those already published for it, or whose term does not cover the
    year, are skipped. `reports` are the pledges' reports for the period's year."""
    if not may_coordinate(actor):
        raise OperationError(
            f"실적 공표는 {coordinating_department()}에서만 할 수 있습니다.", status=403
        )
    check_period_itself(period)
    result = BulkResult([], [])
    try:
        for report in reports:
            pledge = report.pledge
            if not pledge.counted:
                continue
            in_term = pledge.period_start <= period.year <= pledge.period_end
            if not in_term or _published(pledge, period):
                result.skipped.append(pledge.code)
                continue
            freeze_report(report, period, actor.id, note.strip())
            result.published.append(pledge.code)
        if not result.published:
            raise OperationError(
                f"{period.label}에 새로 공표할 공약이 없습니다 (이미 공표했거나 사업기간 밖).",
                status=409,
            )
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return result


def retire_pledge(pledge: Pledge, reason: str, actor) -> None:
    """폐기·철회: the pledge stays listed, marked, and leaves the averages."""
    if not may_update(actor, pledge):
        raise OperationError("이 공약을 고칠 권한이 없습니다.", status=403)
    reason = (reason or "").strip()
    if not reason:
        raise OperationError("폐기·철회 사유를 입력하세요.", field="reason")
    if len(reason) > 1000:
        raise OperationError("사유는 1000자 이하여야 합니다.", field="reason")
    if pledge.retired:
        raise OperationError("이미 폐기·철회한 공약입니다.", status=409)
    pledge.retired_on, pledge.retired_reason = clock.today(), reason
    pledge.updated_at = clock.now()
    _record(pledge, "공약 폐기·철회", None, reason, actor.id, "manifesto.retire")
    db.session.commit()


def restore_pledge(pledge: Pledge, reason: str, actor) -> None:
    """Undo a retirement (a correction), with its reason in the history."""
    if not may_update(actor, pledge):
        raise OperationError("이 공약을 고칠 권한이 없습니다.", status=403)
    reason = (reason or "").strip()
    if not reason:
        raise OperationError("되살리는 사유를 입력하세요.", field="reason")
    if not pledge.retired:
        raise OperationError("폐기·철회한 공약이 아닙니다.", status=409)
    before = pledge.retired_reason
    pledge.retired_on, pledge.retired_reason = None, ""
    pledge.updated_at = clock.now()
    _record(pledge, "공약 폐기·철회 취소", before, reason, actor.id, "manifesto.restore")
    db.session.commit()


SNAPSHOT_CSV_HEADER = (
    "세부공약",
    "공표 주기",
    "기준일",
    "공표일",
    "지표 번호",
    "지표명",
    "단위",
    "가중치(%)",
    "목표",
    "실적",
    "지표 이행률(%)",
    "세부공약 이행률(%)",
    "총 이행률(%)",
    "예산 계획(백만 원)",
    "예산 집행(백만 원)",
)


def snapshots_csv(pledge: Pledge) -> str:
    """Every published snapshot of the pledge, one indicator a row (UTF-8 with BOM)."""
    rows = []
    for snap in pledge.snapshots:
        for ind in snap.indicators:
            rows.append(
                (
                    pledge.code,
                    snap.label,
                    snap.as_of.isoformat(),
                    clock.to_kst(snap.published_at).date().isoformat(),
                    ind.no,
                    ind.name,
                    ind.unit,
                    ind.weight,
                    ind.target,
                    ind.actual,
                    ind.rate,
                    snap.rate,
                    snap.total_rate,
                    snap.budget_planned,
                    snap.budget_executed,
                )
            )
    return csv_text(rows, SNAPSHOT_CSV_HEADER)
