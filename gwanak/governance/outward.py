"""What 협치관악 offers other sites beyond its board: its task and 자료실 pages for the
sitemap (the board's feeds and search come from the engine, its notices' from notices)."""

from __future__ import annotations

from sqlalchemy import select

from gwanak.core.extensions import db
from gwanak.core.outward import SitemapEntry
from gwanak.governance.models import ArchiveItem, GovernanceTask


def governance_sitemap() -> list[SitemapEntry]:
    tasks = db.session.execute(
        select(GovernanceTask.id, GovernanceTask.updated_at).order_by(GovernanceTask.id)
    )
    items = db.session.execute(
        select(ArchiveItem.id, ArchiveItem.updated_at)
        .where(ArchiveItem.deleted_at.is_(None))
        .order_by(ArchiveItem.id)
    )
    return [SitemapEntry(f"/governance/tasks/{i}", at) for i, at in tasks] + [
        SitemapEntry(f"/governance/archive/{i}", at) for i, at in items
    ]
