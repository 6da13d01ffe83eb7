"""What 창의제안 공모전 offers other sites: each contest's pages for the sitemap."""

from __future__ import annotations

from sqlalchemy import select

from gwanak.core.extensions import db
from gwanak.core.outward import SitemapEntry
from gwanak.policy.contest.models import Contest


def contest_sitemap() -> list[SitemapEntry]:
    rows = db.session.execute(
        select(Contest.year, Contest.created_at, Contest.results_published_at).order_by(
            Contest.year
        )
    )
    entries = []
    for year, created, published in rows:
        entries.append(SitemapEntry(f"/policy/contest/{year}", created))
        if published is not None:
            entries.append(SitemapEntry(f"/policy/contest/{year}/results", published))
    return entries
