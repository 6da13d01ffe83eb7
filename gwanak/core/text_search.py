"""Finding a word in stored text the simple way: LIKE on the columns, for any length
of term (two-syllable Korean words such as 교통 included), for the small tables
(notices, pages, agendas, budget projects, pledges). Proposals, by the ten thousand,
use the bigram index (core/search_index.py)."""

from __future__ import annotations

import re

from sqlalchemy import (
    Date,
    DateTime,
    Integer,
    String,
    bindparam,
    cast,
    func,
    literal,
    null,
    or_,
    select,
)

from gwanak.core.search_index import is_exact, term_grams

SNIPPET_CHARS = 80


def like_pattern(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


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


# ---------------------------------------------------------------- 통합 검색's branches


class SearchTerm:
    """통합 검색's term and page size as named bound parameters. The page's statement
    depends on the term only through these and `shape` (a two-character word, or how
    many bigrams narrow a longer term), so it is built once per shape and run again with
    the next term's `params()`: building the eight selects cost more than running them.
    A provider's select must use the term only through these."""

    def __init__(self, text: str, limit: int = 0):
        grams = term_grams(text)
        self.text = text
        self.exact = is_exact(text)
        self.like = bindparam("search_like", like_pattern(text), String)
        self.grams = [bindparam(f"search_gram_{i}", g, String) for i, g in enumerate(grams)]
        self.limit = bindparam("search_limit", limit, Integer)
        self.shape = (self.exact, len(grams))

    def params(self) -> dict:
        return {b.key: b.value for b in (self.like, *self.grams, self.limit)}

    def contains(self, *columns):
        """A condition: any of the columns contains the term (case-insensitive)."""
        return or_(*(column.ilike(self.like, escape="\\") for column in columns))


def search_columns(key: str, *, id, title, body, ref=None, at=None, on=None) -> tuple:
    """The columns every branch of 통합 검색's one UNION ALL shares, in this order:
    the provider's key, the item's id, title and text (for the snippet), a string the
    provider needs for its link or label (`ref`), and its date as a time (`at`) or a day
    (`on`). Missing ones are typed NULLs, so all branches line up on both databases."""
    return (
        literal(key, String).label("source"),
        id.label("id"),
        title.label("title"),
        body.label("body"),
        (cast(null(), String) if ref is None else ref).label("ref"),
        (cast(null(), DateTime) if at is None else at).label("at"),
        (cast(null(), Date) if on is None else on).label("on"),
    )


def search_branch(key: str, where, order, limit, **columns):
    """One provider's first `limit` hits in `order`, each with its place (`pos`) and the
    provider's total, as one select: a branch of 통합 검색's UNION ALL. The total is an
    uncorrelated subquery, computed once, and only when there is a hit."""
    total = select(func.count(columns["id"])).where(*where).scalar_subquery()
    page = (
        select(
            *search_columns(key, **columns),
            func.row_number().over(order_by=order).label("pos"),
            total.label("total"),
        )
        .where(*where)
        .order_by(*order)
        .limit(limit)
        .subquery()
    )
    return select(*page.c)
