"""Every CSV the portal writes: UTF-8 with a BOM (so Excel reads Korean), and no cell a
spreadsheet would run as a formula.

A resident can name themselves `=HYPERLINK("http://evil.example","보기")`; a staff member
opening the monthly report in Excel would get a live link or worse (CSV injection).
A cell that begins with = + - @, a tab, a carriage return or a line feed — or their
full-width forms (＝ ＋ － ＠), which Korean spreadsheet input turns into formulas too —
gets a leading apostrophe, which spreadsheets show as text. Plain numbers (-5, +3.5)
stay numbers. `restore_cell` undoes it for the portal's own CSV imports.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal

BOM = "\ufeff"
FORMULA_STARTS = frozenset("=+-@\t\r\n＝＋－＠")
_PLAIN_NUMBER = re.compile(r"[-+]?\d+(?:[.,]\d+)*")


def _starts_formula(text: str) -> bool:
    # Leading spaces do not stop every spreadsheet from reading a formula; leading
    # apostrophes are looked through so that restore_cell(neutralise(x)) == x always.
    core = text.lstrip("'")
    return core[:1] in FORMULA_STARTS or core.lstrip(" \u3000")[:1] in FORMULA_STARTS


def neutralise(value) -> str | int | float | Decimal:
    """A cell that a spreadsheet shows as written and never evaluates."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float | Decimal):
        return value
    text = str(value)
    if _PLAIN_NUMBER.fullmatch(text):
        return text
    return "'" + text if _starts_formula(text) else text


def restore_cell(text: str) -> str:
    """Undo `neutralise` on a cell read back from one of our own CSV files."""
    if text.startswith("'") and _starts_formula(text):
        return text[1:]
    return text


def csv_text(rows: Iterable[Sequence], header: Sequence[str] | None = None) -> str:
    """Rows as CSV text with a BOM, every cell neutralised."""
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, lineterminator="\r\n")
    if header is not None:
        writer.writerow([neutralise(cell) for cell in header])
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
    return out.getvalue()


def csv_text_from_dicts(fieldnames: Sequence[str], records: Iterable[Mapping]) -> str:
    """Records (dicts) as CSV text with a header row and a BOM, every cell neutralised."""
    return csv_text(
        ([record.get(name) for name in fieldnames] for record in records), header=fieldnames
    )
