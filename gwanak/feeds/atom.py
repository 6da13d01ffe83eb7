"""One Atom document from a feed's entries, written by feedgen.

Every text is masked here, whoever supplied it: titles and summaries through
`mask_personal_data` (phones, RRNs, e-mail), residents' names through `mask_name`.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from urllib.parse import urlsplit

from feedgen.feed import FeedGenerator
from flask import current_app

from gwanak.core.masking import mask_name, mask_personal_data
from gwanak.core.outward import Feed, FeedEntry, absolute_url

# XML 1.0 has no place for these; user text may still hold them.
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# Every feed needs an <updated>; an empty feed says the portal's opening day, so its
# document (and ETag) does not change while it stays empty.
OPENED = datetime(2019, 7, 1, tzinfo=UTC)


def public_text(text: str | None) -> str:
    return _NOT_XML.sub("", mask_personal_data(text or ""))


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def feed_path(slug: str) -> str:
    return f"/feeds/{slug}.atom"


def atom_document(feed: Feed, entries: list[FeedEntry]) -> bytes:
    host = urlsplit(current_app.config["PUBLIC_BASE_URL"]).hostname or "localhost"
    generator = FeedGenerator()
    generator.id(absolute_url(feed_path(feed.slug)))
    generator.title(feed.title)
    generator.author({"name": f"관악구 {feed.department}"})
    generator.link(href=absolute_url(feed.pages[0] if feed.pages else "/"), rel="alternate")
    generator.link(href=absolute_url(feed_path(feed.slug)), rel="self")
    generator.language("ko")
    generator.rights("공공누리 제1유형 (출처표시): 온라인 관악청")
    generator.updated(max((_utc(e.updated) for e in entries), default=OPENED))
    for entry in entries:
        item = generator.add_entry(order="append")
        item.id(f"tag:{host},2019:{entry.key}")
        item.title(public_text(entry.title))
        item.link(href=absolute_url(entry.path), rel="alternate")
        item.updated(_utc(entry.updated))
        if entry.published is not None:
            item.published(_utc(entry.published))
        if entry.summary:
            item.summary(public_text(entry.summary))
        if entry.author:
            item.author({"name": mask_name(entry.author)})
        if entry.category:
            item.category(term=public_text(entry.category))
    return generator.atom_str(pretty=False)
