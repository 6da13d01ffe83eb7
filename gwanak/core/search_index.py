"""A bigram index for finding words in stored text on SQLite and PostgreSQL alike.

Korean words are often two syllables (교통, 주차, 공원), which no trigram index
(FTS5's trigram tokenizer, pg_trgm) can look up: both fall back to reading every row.
So each searchable item stores the distinct two-character pieces of its words as rows
of `search_grams` (kind, gram, item_id) — its primary key is the index. A term is
looked up by the items holding all of its bigrams; a two-character term is then an
exact answer, a longer one is confirmed with LIKE on those few candidates only.

The operations that create, edit, hide, restore or erase an item keep its rows
(`index_item`, `unindex_item`); `flask gwanak reindex` rebuilds them all."""

from __future__ import annotations

import re
from collections.abc import Iterable

from sqlalchemy import String, and_, delete, insert, select
from sqlalchemy.orm import Mapped, mapped_column

from gwanak.core.extensions import db

WORD = re.compile(r"\w+")
# A long term is narrowed by a few of its bigrams; LIKE confirms the rest.
LOOKUP_GRAMS = 4


class SearchGram(db.Model):
    __tablename__ = "search_grams"
    # The primary key is the only index: on SQLite the table is that index.
    __table_args__ = {"sqlite_with_rowid": False}

    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    gram: Mapped[str] = mapped_column(String(2), primary_key=True)
    item_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)


def bigrams(*texts: str | None) -> set[str]:
    """The distinct two-character pieces of the words of the texts (case-folded)."""
    grams: set[str] = set()
    for text in texts:
        for word in WORD.findall((text or "").casefold()):
            grams.update(word[i : i + 2] for i in range(len(word) - 1))
    return grams


def index_item(kind: str, item_id: int, *texts: str | None) -> None:
    """A step: add an item's bigrams (a new item, or one shown again). Not committed."""
    rows = [{"kind": kind, "gram": g, "item_id": item_id} for g in bigrams(*texts)]
    if rows:
        db.session.execute(insert(SearchGram), rows)


def unindex_item(kind: str, item_id: int, *texts: str | None) -> None:
    """A step: remove an item's bigrams, given the text it was indexed with (hidden,
    erased, or about to be re-indexed after an edit). Not committed."""
    grams = bigrams(*texts)
    if grams:
        db.session.execute(
            delete(SearchGram).where(
                SearchGram.kind == kind,
                SearchGram.gram.in_(sorted(grams)),
                SearchGram.item_id == item_id,
            )
        )


def reindex_item(kind: str, item_id: int, old: Iterable[str | None], new: Iterable[str | None]):
    """A step: an edited item's bigrams follow its text (only the difference is written)."""
    before, after = bigrams(*old), bigrams(*new)
    if gone := before - after:
        db.session.execute(
            delete(SearchGram).where(
                SearchGram.kind == kind,
                SearchGram.gram.in_(sorted(gone)),
                SearchGram.item_id == item_id,
            )
        )
    if added := after - before:
        db.session.execute(
            insert(SearchGram),
            [{"kind": kind, "gram": g, "item_id": item_id} for g in sorted(added)],
        )


def term_grams(term: str) -> list[str]:
    """The bigrams used to look a term up, in the order they occur (at most a few)."""
    seen: list[str] = []
    for gram in (w[i : i + 2] for w in WORD.findall(term.casefold()) for i in range(len(w) - 1)):
        if gram not in seen:
            seen.append(gram)
    if len(seen) <= LOOKUP_GRAMS:
        return seen
    # Spread over the term: its start, its end and between.
    step = (len(seen) - 1) / (LOOKUP_GRAMS - 1)
    return [seen[round(i * step)] for i in range(LOOKUP_GRAMS)]


def is_exact(term: str) -> bool:
    """Whether holding the term's bigram alone proves an item contains the term."""
    return len(term) == 2 and WORD.fullmatch(term) is not None


def holding(kind: str, gram):
    """The ids of the items holding one bigram (a string from `term_grams`, or a bound
    parameter: 통합 검색's `text_search.SearchTerm.grams`), as a query. For a
    two-character word (`is_exact`) these are exactly the items containing it."""
    return select(SearchGram.item_id).where(SearchGram.kind == kind, SearchGram.gram == gram)


def holding_all(kind: str, grams, id_column):
    """A condition on `id_column`: the item holds every one of the bigrams."""
    return and_(*(id_column.in_(holding(kind, gram)) for gram in grams))
