"""CSV for spreadsheets, written one way: UTF-8 with a BOM (so Excel reads the Korean)
and every text cell that a spreadsheet would run as a formula neutralised."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from typing import Any

BOM = "\ufeff"
# A cell starting with one of these is a formula (or becomes one) in Excel and LibreOffice.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_cell(value: Any) -> Any:
    """Text that a spreadsheet would evaluate gets a leading apostrophe; numbers pass."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_chunks(header: Iterable[str], rows: Iterable[Iterable[Any]]) -> Iterator[str]:
    """The whole document, BOM first, a line at a time (for a streamed download)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([neutralise_cell(h) for h in header])
    yield BOM + out.getvalue()
    for row in rows:
        out.seek(0)
        out.truncate()
        writer.writerow(["" if v is None else neutralise_cell(v) for v in row])
        yield out.getvalue()


def csv_text(header: Iterable[str], rows: Iterable[Iterable[Any]]) -> str:
    return "".join(csv_chunks(header, rows))
