"""What a feature offers beyond its own pages, as data: widgets other sites embed, Atom
feeds, open datasets, sitemap entries and a search provider.

A feature lists these values in its `Feature` (widgets, feeds, datasets, sitemap,
search); the generic features that serve them (embeds, feeds, opendata, home, search)
read the registry and know no menu. Personal data is masked by those readers, in one
place each, so a contributor cannot forget it: feed text and dataset text go through
`mask_personal_data`, resident names through `mask_name`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask import current_app, g, has_request_context


def once_per_request(key: str, compute: Callable[[], Any]) -> Any:
    """compute() once per request (a dataset's count and its rows often need the same
    figures); outside a request, every time."""
    if not has_request_context():
        return compute()
    cache = g.setdefault("outward_cache", {})
    if key not in cache:
        cache[key] = compute()
    return cache[key]


def absolute_url(path: str) -> str:
    """A portal path as the public address (PUBLIC_BASE_URL), never from the Host header."""
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + path


# ---------------------------------------------------------------- widgets


@dataclass(frozen=True)
class WidgetChoice:
    """One query parameter a widget takes, e.g. which pledge (`?code=6-1-1`)."""

    name: str
    label: str
    # (value, Korean label) pairs; the first is the default ("" for "all").
    choices: Callable[[], list[tuple[str, str]]]


@dataclass(frozen=True)
class Widget:
    """A small page under /widgets/<slug> for other sites to frame.

    `render(choice, limit)` gets the chosen value of `choice` ("" when none) and how
    many items a list may show, and returns (template, context); the template extends
    widget_base.html and must not touch the session (a widget sets no cookie).
    """

    slug: str
    title: str
    description: str
    render: Callable[[str, int], tuple[str, dict]]
    choice: WidgetChoice | None = None


# ---------------------------------------------------------------- feeds


@dataclass(frozen=True)
class FeedEntry:
    """One entry of an Atom feed. `author` is a resident's name: the feed masks it."""

    key: str  # unique and stable within the feed, e.g. "proposal/12"
    title: str
    path: str  # the entry's page on the portal, e.g. "/policy/proposals/12"
    updated: datetime  # naive UTC, as stored
    summary: str = ""
    published: datetime | None = None
    author: str | None = None
    category: str | None = None


@dataclass(frozen=True)
class Feed:
    """An Atom feed at /feeds/<slug>.atom, announced on the list pages in `pages`."""

    slug: str
    title: str
    department: str  # who publishes it (the feed's author)
    entries: Callable[[int], list[FeedEntry]]  # newest first, at most n
    pages: tuple[str, ...] = ()  # paths whose <head> links to the feed
    group: str = ""  # heading on the feed index (the menu's name)


# ---------------------------------------------------------------- open data


@dataclass(frozen=True)
class DatasetField:
    """A column of a dataset. `kind` says how it is written and masked:
    text (masked for phones, RRNs, e-mail), name (a resident's name, masked as 김*우),
    int, number (decimal), date, datetime, url (a portal path made absolute)."""

    name: str
    label: str
    description: str
    kind: str = "text"


@dataclass(frozen=True)
class Dataset:
    """An open dataset: CSV and JSON downloads on 열린 데이터 and pages of the JSON API.

    `rows(offset, limit)` returns dicts keyed by the fields' names, in a stable order;
    `count()` the number of rows."""

    slug: str
    title: str
    description: str
    department: str
    fields: tuple[DatasetField, ...]
    rows: Callable[[int, int], list[dict[str, Any]]]
    count: Callable[[], int]


# ---------------------------------------------------------------- sitemap


@dataclass(frozen=True)
class SitemapEntry:
    path: str
    lastmod: date | datetime | None = None


# Returns the public pages a feature serves (sitemap.xml lists them all).
SitemapSource = Callable[[], Iterable[SitemapEntry]]


# ---------------------------------------------------------------- search


@dataclass(frozen=True)
class SearchHit:
    title: str
    path: str
    snippet: str = ""
    when: date | datetime | None = None


@dataclass(frozen=True)
class SearchResult:
    hits: list[SearchHit]
    total: int
    more_path: str | None = None  # the content's own list, filtered by the term


def _no_more_path(term: str) -> str | None:
    return None


@dataclass(frozen=True)
class SearchProvider:
    """One content type of 통합 검색. `query(term)` is a select of its first hits
    (title, body…) with their total, in the shared columns of core/text_search.py's
    `search_branch`, using the term only through its bound parameters (`SearchTerm`):
    the page runs every provider's select as one UNION ALL, built once per shape of
    term. `hit(row, term)` makes a row what the page shows (None: counted, not listed);
    `more_path(term)` is the content's own list filtered by the term."""

    key: str
    label: str
    query: Callable[[Any], Any]
    hit: Callable[[Any, str], SearchHit | None]
    more_path: Callable[[str], str | None] = _no_more_path
