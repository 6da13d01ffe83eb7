"""The site-level stored pages (개인정보처리방침, 이용약관, 웹 접근성 정책, 담당 부서
연락처) at /site/<slug>, and every stored page for the sitemap and 통합 검색."""

from __future__ import annotations

from flask import Blueprint, abort
from sqlalchemy import select

from gwanak.core.extensions import db
from gwanak.core.outward import SearchHit, SearchProvider, SitemapEntry
from gwanak.core.text_search import SearchTerm, search_branch, snippet
from gwanak.pages.models import Page
from gwanak.pages.operations import SITE_PAGES, all_page_keys
from gwanak.pages.routes import public_url, show_page

bp = Blueprint("site", __name__, url_prefix="/site")


@bp.route("/<slug>")
def site_page(slug: str):
    if slug not in dict(SITE_PAGES):
        abort(404)
    return show_page(f"site/{slug}")


def page_sitemap() -> list[SitemapEntry]:
    """Every stored page, written or not yet (then without a date)."""
    updated = dict(db.session.execute(select(Page.key, Page.updated_at)).all())
    return [SitemapEntry(public_url(key), updated.get(key)) for key, _ in all_page_keys()]


def _search(term: SearchTerm):
    known = dict(all_page_keys())  # from the portal's files: fixed while it runs
    return search_branch(
        "pages",
        (Page.key.in_(list(known)), term.contains(Page.title, Page.body_md)),
        (Page.key,),
        term.limit,
        id=Page.id,
        title=Page.title,
        body=Page.body_md,
        ref=Page.key,
        at=Page.updated_at,
    )


def _hit(row, term: str) -> SearchHit:
    return SearchHit(row.title, public_url(row.ref), snippet(row.body, term), row.at)


SEARCH = SearchProvider("pages", "안내 페이지", _search, _hit)
