"""Working days: weekdays that are not Korean public holidays.

The holidays are data (gwanak/data/holidays-kr.json), kept by hand a year ahead, so
no dependency has to know the lunar calendar or the substitute-holiday rules.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "data" / "holidays-kr.json"


@cache
def holidays() -> dict[date, str]:
    raw = json.loads(DATA.read_text(encoding="utf-8"))["holidays"]
    return {date.fromisoformat(day): name for day, name in raw.items()}


def holiday_name(day: date) -> str | None:
    return holidays().get(day)


def is_working_day(day: date) -> bool:
    """Monday to Friday, and not a public holiday."""
    return day.weekday() < 5 and day not in holidays()


def working_day_from(day: date) -> date:
    """The day itself when it is a working day, else the next working day."""
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def working_day_before(day: date) -> date:
    """The day itself when it is a working day, else the working day before it."""
    while not is_working_day(day):
        day -= timedelta(days=1)
    return day


def long_date(day: date) -> str:
    """2026년 12월 1일(화): a date as notices write it, with its day of the week."""
    return f"{day.year}년 {day.month}월 {day.day}일({'월화수목금토일'[day.weekday()]})"
