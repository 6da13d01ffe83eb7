"""What the notice boards offer other sites: a feed per board (the menus' and each
동's), notice pages for the sitemap and notice search across every board."""

from __future__ import annotations

from sqlalchemy import select

from gwanak.core.extensions import db
from gwanak.core.menus import dong
from gwanak.core.outward import (
    Feed,
    FeedEntry,
    SearchHit,
    SearchProvider,
    SitemapEntry,
    once_per_request,
)
from gwanak.core.text_search import SearchTerm, search_branch, snippet
from gwanak.notices.boards import all_notice_boards
from gwanak.notices.models import Notice
from gwanak.notices.operations import NoticeBoard

FEED_SUMMARY_CHARS = 500


def _paths() -> dict[str, str]:
    return {board.key: board.path for board in all_notice_boards()}


def notice_path(notice_id: int, board_key: str, paths: dict[str, str] | None = None) -> str:
    return f"{(paths or _paths())[board_key]}/{notice_id}"


def _live():
    return Notice.deleted_at.is_(None)


def _feed(board: NoticeBoard) -> Feed:
    def entries(limit: int) -> list[FeedEntry]:
        rows = db.session.scalars(
            select(Notice)
            .where(Notice.board == board.key, _live())
            .order_by(Notice.created_at.desc(), Notice.id.desc())
            .limit(limit)
        ).all()
        return [
            FeedEntry(
                key=f"notice/{n.id}",
                title=n.title,
                path=f"{board.path}/{n.id}",
                updated=n.updated_at,
                published=n.created_at,
                summary=n.body_md[:FEED_SUMMARY_CHARS],
            )
            for n in rows
        ]

    the_dong = dong(board.owner_dong) if board.owner_dong else None
    pages = (board.path,) + ((board.path.rsplit("/", 1)[0],) if the_dong else ())
    return Feed(
        f"notices-{board.key.replace(':', '-')}",
        board.name,
        the_dong.office_name if the_dong else board.owner_department,
        entries,
        pages=pages,
        group="주민자치회 공지사항" if the_dong else "공지사항",
    )


FEEDS = tuple(_feed(board) for board in all_notice_boards())


def notice_sitemap() -> list[SitemapEntry]:
    paths = _paths()
    rows = db.session.execute(
        select(Notice.id, Notice.board, Notice.updated_at).where(_live()).order_by(Notice.id)
    )
    return [SitemapEntry(notice_path(i, key, paths), at) for i, key, at in rows if key in paths]


def _search(term: SearchTerm):
    return search_branch(
        "notices",
        (_live(), term.contains(Notice.title, Notice.body_md)),
        (Notice.created_at.desc(), Notice.id.desc()),
        term.limit,
        id=Notice.id,
        title=Notice.title,
        body=Notice.body_md,
        ref=Notice.board,
        at=Notice.created_at,
    )


def _hit(row, term: str) -> SearchHit | None:
    """A notice of a board no longer served is counted but not listed."""
    boards = once_per_request("notices.boards", lambda: {b.key: b for b in all_notice_boards()})
    board = boards.get(row.ref)
    if board is None:
        return None
    return SearchHit(
        f"[{board.name}] {row.title}",
        f"{board.path}/{row.id}",
        snippet(row.body, term),
        row.at,
    )


SEARCH = SearchProvider("notices", "공지사항", _search, _hit)
