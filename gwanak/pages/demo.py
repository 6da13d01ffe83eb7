"""Demo text in every stored page, so a fresh portal reads like the district's."""

from __future__ import annotations

from collections.abc import Iterator

from gwanak.accounts.demo import demo_user
from gwanak.core.extensions import db
from gwanak.pages.demo_texts import PAGE_TEXTS, dong_page_text
from gwanak.pages.operations import all_page_keys, ensure_page, get_page


def seed_pages() -> Iterator[str]:
    admin = demo_user("admin")
    created = 0
    for key, title in all_page_keys():
        if get_page(key) is not None:
            continue
        body = PAGE_TEXTS.get(key) or dong_page_text(key)
        ensure_page(key, title, body, author_id=admin.id if admin else None)
        created += 1
    db.session.commit()
    if created:
        yield f"안내 페이지 {created}개를 만들었습니다."
