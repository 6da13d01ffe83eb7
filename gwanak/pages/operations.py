"""Saving, restoring and creating stored pages."""

from __future__ import annotations

from sqlalchemy import func, select

from gwanak.core import clock
from gwanak.core.audit import record_audit
from gwanak.core.extensions import db
from gwanak.core.markup import render_markdown
from gwanak.core.menus import dongs, menu, menus
from gwanak.pages.models import Page, PageRevision

TITLE_MAX = 120
BODY_MAX = 100_000

# Site-level pages every public site has, linked from the footer (served at /site/<slug>):
# (slug, default title). 기획예산과 runs the portal (the pledge card's 사업담당), so it
# keeps them.
SITE_PAGES = (
    ("privacy", "개인정보처리방침"),
    ("terms", "이용약관"),
    ("accessibility", "웹 접근성 정책"),
    ("contact", "담당 부서 연락처"),
)
SITE_OWNER = menu("policy").owner  # the portal's own pages: 정책참여's owner


def page_owner(key: str) -> tuple[str | None, str | None]:
    """(department, dong) that own the page with this key."""
    parts = key.split("/")
    if parts[0] == "site":
        return SITE_OWNER, None
    if parts[0] == "autonomy" and len(parts) == 3 and parts[1] == "dongs":
        return None, parts[2]
    for m in menus():
        if m.slug == parts[0]:
            return m.owner, None
    return None, None


def get_page(key: str) -> Page | None:
    return db.session.scalar(select(Page).where(Page.key == key))


def ensure_page(key: str, title: str, body_md: str = "", author_id: int | None = None) -> Page:
    """Create the page with a first revision if it does not exist yet (idempotent). Commits."""
    page = get_page(key)
    if page is not None:
        return page
    department, dong = page_owner(key)
    page = Page(key=key, title=title, owner_department=department, owner_dong=dong)
    db.session.add(page)
    db.session.flush()
    _save(page, title, body_md, author_id, note="처음 작성")
    db.session.commit()
    return page


def save_page(
    page: Page, title: str, body_md: str, author_id: int | None, note: str = ""
) -> PageRevision:
    """Save new content as a new revision, with an audit entry. Commits."""
    before = {"title": page.title, "body_md": page.body_md}
    revision = _save(page, title, body_md, author_id, note=note)
    record_audit(
        "page.save",
        "page",
        page.key,
        before=before,
        after={"title": page.title, "body_md": page.body_md, "revision": revision.number},
        actor_id=author_id,
    )
    db.session.commit()
    return revision


def restore_revision(page: Page, revision: PageRevision, author_id: int | None) -> PageRevision:
    """Restoring makes a new revision equal to the old one, so history is never lost.
    Commits."""
    before = {"title": page.title, "body_md": page.body_md}
    new = _save(page, revision.title, revision.body_md, author_id, note=f"{revision.number}판 복원")
    record_audit(
        "page.restore",
        "page",
        page.key,
        before=before,
        after={"title": page.title, "body_md": page.body_md, "restored_from": revision.number},
        actor_id=author_id,
    )
    db.session.commit()
    return new


def _save(page: Page, title: str, body_md: str, author_id: int | None, note: str) -> PageRevision:
    html = render_markdown(body_md)
    last = db.session.scalar(
        select(func.max(PageRevision.number)).where(PageRevision.page_id == page.id)
    )
    revision = PageRevision(
        page_id=page.id,
        number=(last or 0) + 1,
        title=title,
        body_md=body_md,
        body_html=html,
        author_id=author_id,
        created_at=clock.now(),
        note=note[:200],
    )
    page.title = title
    page.body_md = body_md
    page.body_html = html
    page.updated_at = revision.created_at
    page.updated_by_id = author_id
    db.session.add(revision)
    db.session.flush()
    return revision


def all_page_keys() -> list[tuple[str, str]]:
    """(key, default title) of every stored page the portal must have."""
    keys = [(item.page_key, item.name) for m in menus() for item in m.items if item.is_page]
    keys += [(d.page_key, f"{d.name} 주민자치회") for d in dongs()]
    keys += [(f"site/{slug}", title) for slug, title in SITE_PAGES]
    return keys
