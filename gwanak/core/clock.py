"""The one clock of the app, so tests can freeze time.

Times are stored as naive UTC; dates that residents see (deadlines, working days)
are Korean dates.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta, timezone

KST = timezone(timedelta(hours=9), "KST")
_frozen: datetime | None = None


def now() -> datetime:
    """Current time as naive UTC (what the database stores)."""
    if _frozen is not None:
        return _frozen
    return datetime.now(UTC).replace(tzinfo=None)


def today() -> date:
    """Today's date in Korea."""
    return to_kst(now()).date()


def to_kst(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC).astimezone(KST)


def machine_time(value: date | datetime | None) -> str:
    """What <time datetime="…"> carries: 2024-05-01 for a date; for a stored (naive-UTC)
    moment, UTC to the second, 2024-05-01T03:00:00Z."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value.replace(microsecond=0).isoformat() + "Z"
    return value.isoformat()


@contextmanager
def frozen(at: datetime) -> Iterator[None]:
    """Freeze now() at a naive-UTC datetime; used by tests and the demo seeder."""
    global _frozen
    previous = _frozen
    _frozen = at
    try:
        yield
    finally:
        _frozen = previous


def set_frozen(at: datetime | None) -> None:
    global _frozen
    _frozen = at
