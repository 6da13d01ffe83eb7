"""Reading contests: entries, winners, the card's statistics and the yearly live figure."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select

from gwanak.core import clock
from gwanak.core.extensions import db
from gwanak.policy.contest.models import (
    EXCLUSION_CAUSES,
    Contest,
    ContestEntry,
    EntryState,
)


def entries_of(contest: Contest, state: str | None = None) -> list[ContestEntry]:
    query = select(ContestEntry).where(ContestEntry.contest_id == contest.id)
    if state:
        query = query.where(ContestEntry.state == state)
    return list(db.session.scalars(query.order_by(ContestEntry.id)))


def entries_to_screen(department: str | None) -> list[ContestEntry]:
    """Entries given to `department` (None: to any department) for 실무심사 and still
    waiting for it."""
    given = (
        ContestEntry.screening_department == department
        if department
        else ContestEntry.screening_department.is_not(None)
    )
    query = select(ContestEntry).where(given, ContestEntry.state == EntryState.RECEIVED)
    return list(db.session.scalars(query.order_by(ContestEntry.id)))


def entries_of_user(user_id: int) -> list[ContestEntry]:
    return list(
        db.session.scalars(
            select(ContestEntry)
            .where(ContestEntry.submitter_id == user_id)
            .order_by(ContestEntry.id.desc())
        )
    )


def winners_of(contest: Contest) -> list[ContestEntry]:
    rows = entries_of(contest)
    order = {g: i for i, g in enumerate(contest.grades)}
    winners = [e for e in rows if e.is_winner]
    return sorted(winners, key=lambda e: (order.get(e.grade or "", len(order)), e.id))


@dataclass
class ContestStatistics:
    received: int = 0
    valid: int = 0
    excluded: int = 0
    excluded_by_cause: dict[str, int] = field(default_factory=dict)
    by_relation: dict[str, int] = field(default_factory=dict)
    by_channel: dict[str, int] = field(default_factory=dict)
    by_state: dict[str, int] = field(default_factory=dict)
    excellent_by_grade: dict[str, int] = field(default_factory=dict)
    adopted_on_review: int = 0
    implemented: int = 0

    @property
    def residents(self) -> int:
        """주민 (관악구민 and people who work or study in Gwanak) as against officials."""
        return self.received - self.officials

    @property
    def officials(self) -> int:
        return self.by_relation.get("official", 0)


def contest_statistics(contest: Contest) -> ContestStatistics:
    """The card's figures for one contest, counted with a few GROUP BY queries."""
    stats = ContestStatistics()
    base = (
        select(func.count()).select_from(ContestEntry).where(ContestEntry.contest_id == contest.id)
    )

    def grouped(column, *where):
        query = (
            select(column, func.count())
            .where(ContestEntry.contest_id == contest.id, *where)
            .group_by(column)
        )
        return {key: n for key, n in db.session.execute(query) if key is not None}

    stats.received = db.session.scalar(base) or 0
    stats.by_state = grouped(ContestEntry.state)
    stats.excluded = stats.by_state.get(EntryState.EXCLUDED, 0)
    stats.valid = stats.received - stats.excluded
    stats.excluded_by_cause = {c: 0 for c in EXCLUSION_CAUSES} | grouped(
        ContestEntry.exclusion_cause
    )
    stats.by_relation = grouped(ContestEntry.relation)
    stats.by_channel = grouped(ContestEntry.channel)
    stats.excellent_by_grade = {g: 0 for g in contest.grades} | grouped(
        ContestEntry.grade, ContestEntry.state == EntryState.EXCELLENT
    )
    stats.adopted_on_review = stats.by_state.get(EntryState.ADOPTED, 0)
    stats.implemented = (
        db.session.scalar(base.where(ContestEntry.implementation == "implemented")) or 0
    )
    return stats


def contests_per_year(year: int) -> int:
    """Contests held in a year, counted once staff have published their results (a
    pledge's live figures take only what staff have confirmed)."""
    return (
        db.session.scalar(
            select(func.count())
            .select_from(Contest)
            .where(
                Contest.year == year,
                Contest.opens_on <= clock.today(),
                Contest.results_published_at.is_not(None),
            )
        )
        or 0
    )
