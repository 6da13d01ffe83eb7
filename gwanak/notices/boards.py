"""The notice boards the portal has: one per menu that lists notices, one per 동."""

from __future__ import annotations

from flask import abort

from gwanak.core.menus import dong, dongs
from gwanak.core.permissions import AUTONOMY_DEPARTMENT
from gwanak.notices.operations import NoticeBoard

BUDGET_NOTICES = NoticeBoard(
    key="budget",
    name="주민참여예산 공지사항",
    owner_department=AUTONOMY_DEPARTMENT,
    endpoint_prefix="budget.notice",
    crumbs=(("주민참여예산", "/budget"),),
    path="/budget/notices",
)
GOVERNANCE_NOTICES = NoticeBoard(
    key="governance",
    name="협치관악 공지사항",
    owner_department=AUTONOMY_DEPARTMENT,
    endpoint_prefix="governance.notice",
    crumbs=(("협치관악", "/governance"),),
    path="/governance/notices",
)


def dong_notice_board(slug: str) -> NoticeBoard:
    """The 동 주민자치회's own board; its 주민센터 (and 자치행정과) posts on it."""
    the_dong = dong(slug)
    if the_dong is None:
        abort(404)
    return NoticeBoard(
        key=f"dong:{slug}",
        name=f"{the_dong.name} 주민자치회 공지사항",
        owner_department=AUTONOMY_DEPARTMENT,
        owner_dong=slug,
        endpoint_prefix="autonomy.dong_notice",
        url_args={"slug": slug},
        crumbs=(
            ("주민자치회", "/autonomy"),
            ("21개동 주민자치회", "/autonomy/dongs"),
            (f"{the_dong.name} 주민자치회", f"/autonomy/dongs/{slug}"),
        ),
        path=f"/autonomy/dongs/{slug}/notices",
    )


def all_notice_boards() -> list[NoticeBoard]:
    """Every board: the menus' and one per 동, in the order the navigation has them."""
    return [BUDGET_NOTICES, GOVERNANCE_NOTICES] + [dong_notice_board(d.slug) for d in dongs()]
