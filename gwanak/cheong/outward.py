"""What 관악청 offers other sites: its published meeting records for the sitemap."""

from __future__ import annotations

from sqlalchemy import select

from gwanak.cheong.models import DateRecord
from gwanak.core.extensions import db
from gwanak.core.outward import SitemapEntry


def record_sitemap() -> list[SitemapEntry]:
    rows = db.session.execute(
        select(DateRecord.id, DateRecord.updated_at)
        .where(DateRecord.published_at.is_not(None))
        .order_by(DateRecord.id)
    )
    return [SitemapEntry(f"/cheong/dates/{i}", at) for i, at in rows]
