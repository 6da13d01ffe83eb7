"""Finding a word in stored text the simple way: LIKE on the columns, for any length
of term (two-syllable Korean words such as 교통 included), for the small tables
(notices, pages, agendas, budget projects, pledges). Proposals, by the ten thousand,
use the bigram index (core/search_index.py)."""

from __future__ import annotations

import re

from sqlalchemy import or_

SNIPPET_CHARS = 80


def like_pattern(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def contains(term: str, *columns):
    """A condition: any of the columns contains the term (case-insensitive)."""
    pattern = like_pattern(term)
    return or_(*(column.ilike(pattern, escape="\\") for column in columns))


def snippet(text: str | None, term: str, width: int = SNIPPET_CHARS) -> str:
    """A short plain excerpt of text around the first place the term occurs."""
    plain = re.sub(r"<[^>]+>|[#*_`>|]+", " ", text or "")
    plain = re.sub(r"\s+", " ", plain).strip()
    at = plain.lower().find(term.lower())
    if at < 0:
        return plain[:width] + ("…" if len(plain) > width else "")
    start = max(0, at - width // 3)
    end = min(len(plain), start + width)
    return ("…" if start else "") + plain[start:end] + ("…" if end < len(plain) else "")
