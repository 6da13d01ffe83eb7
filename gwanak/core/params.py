"""The edge where URLs become numbers: page, year and month query values and database ids.

Every list reads its query values through these helpers, so a value no page could
mean (`page=99999999999999999999`, `month=0001-01`, `year=abc`) never reaches the
database or date arithmetic: it falls back to the default or answers 404.
"""

from __future__ import annotations

import re
from datetime import date

from flask import abort, request
from werkzeug.routing import IntegerConverter

# Far beyond any real list, and small enough that page × page size fits an SQL offset.
MAX_PAGE = 100_000
# Years a page may be asked about; leaves room for date arithmetic on either side
# (KST offsets, "the following month") inside Python's years 1..9999.
YEARS = range(1900, 9999)
# A database id: our id columns are INTEGER, 32-bit on PostgreSQL (SQLite's are wider),
# so a larger number can name no row and must not reach the query ("out of range").
MAX_ID = 2**31 - 1

_NUMBER = re.compile(r"[0-9]{1,20}")
_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")


class IdConverter(IntegerConverter):
    """`<id:pid>`: 1 … MAX_ID, so a larger number is a 404, not a database error."""

    def __init__(self, map, *args, **kwargs) -> None:
        super().__init__(map, min=1, max=MAX_ID)


class YearConverter(IntegerConverter):
    """`<year:year>`: a year in YEARS, so /contest/99999999999999999999 is a 404."""

    def __init__(self, map, *args, **kwargs) -> None:
        super().__init__(map, min=YEARS.start, max=YEARS.stop - 1)


def install_url_converters(app) -> None:
    """Register `<id:…>` and `<year:…>`; before any blueprint, whose rules name them."""
    app.url_map.converters.update(id=IdConverter, year=YearConverter)


def page_arg(name: str = "page") -> int:
    """The 1-based page asked for: 1 when absent, not a number or below 1; 404 past MAX_PAGE."""
    raw = request.args.get(name, "")
    if not _NUMBER.fullmatch(raw) or int(raw) < 1:
        return 1
    page = int(raw)
    if page > MAX_PAGE:
        abort(404)
    return page


def parse_id(text: str | None) -> int | None:
    """'5' → 5; None for anything that cannot be a database id."""
    if text and _NUMBER.fullmatch(text) and 1 <= int(text) <= MAX_ID:
        return int(text)
    return None


def id_arg(name: str) -> int | None:
    """A database id in the query (`?application=5`), or None when absent or not an id."""
    return parse_id(request.args.get(name))


def year_arg(name: str = "year") -> int | None:
    """The year asked for, or None when absent or not a year in YEARS."""
    raw = request.args.get(name, "")
    if _NUMBER.fullmatch(raw) and int(raw) in YEARS:
        return int(raw)
    return None


def parse_month(text: str | None) -> date | None:
    """'2024-05' → date(2024, 5, 1); None for anything else (including years outside YEARS)."""
    match = _MONTH.fullmatch(text or "")
    if not match:
        return None
    year, month = int(match.group(1)), int(match.group(2))
    if year not in YEARS or not 1 <= month <= 12:
        return None
    return date(year, month, 1)


def month_arg(name: str = "month") -> date | None:
    """The month asked for ('2024-05') as its first day, or None when absent or malformed."""
    return parse_month(request.args.get(name))
