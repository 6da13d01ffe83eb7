"""The public site's statements and maps: 개인정보처리방침, 이용약관, 웹 접근성 정책 and
담당 부서 연락처 as staff-edited pages linked from every page's footer, sitemap.xml with
every public page, robots.txt, and feeds announced on their list pages."""

from __future__ import annotations

import re
from xml.etree import ElementTree

import pytest

from gwanak.core.extensions import db
from gwanak.pages.demo import seed_pages
from gwanak.pages.operations import get_page
from tests.outward_helpers import plant_personal_data

FOOTER_LINKS = {
    "/site/privacy": "개인정보처리방침",
    "/site/terms": "이용약관",
    "/site/accessibility": "웹 접근성 정책",
    "/site/contact": "담당 부서 연락처",
    "/open-data": "열린 데이터",
    "/embed": "퍼가기",
    "/search": "통합 검색",
}
SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture
def seeded(app):
    for _ in seed_pages():
        pass
    db.session.commit()


def _footer(html: str) -> str:
    return html[html.index('<footer class="site-footer">') :]


def test_every_page_links_the_statements_open_data_and_embed_in_its_footer(client, users, seeded):
    world = plant_personal_data(users)
    paths = (
        "/",
        "/policy/proposals",
        f"/policy/proposals/{world.answered.id}",
        "/budget/about",
        "/autonomy/dongs/boramae",
        "/auth/login",
        "/site/privacy",
        "/open-data",
        "/embed",
        "/search?q=공원",
        "/feeds",
        "/does-not-exist",
    )
    for path in paths:
        footer = _footer(client.get(path).get_data(as_text=True))
        for href, label in FOOTER_LINKS.items():
            assert re.search(rf'<a href="{href}">(<strong>)?{label}', footer), (path, label)


def test_the_site_pages_carry_believable_text_and_the_cards_contact(client, seeded):
    privacy = client.get("/site/privacy").get_data(as_text=True)
    assert "<h1>개인정보처리방침</h1>" in privacy
    for words in ("처리 목적", "보유 및 이용 기간", "개인정보 보호책임자", "쿠키"):
        assert words in privacy
    accessibility = client.get("/site/accessibility").get_data(as_text=True)
    assert "KWCAG" in accessibility and "2.2" in accessibility and "접근성 문의" in accessibility
    contact = client.get("/site/contact").get_data(as_text=True)
    for fact in ("기획예산과장", "☎ 5550", "☎ 5551", "☎ 5558", "관악로 145"):
        assert fact in contact
    assert "제1조" in client.get("/site/terms").get_data(as_text=True)
    assert client.get("/site/nothing").status_code == 404


def test_planning_staff_edit_the_site_pages_and_other_departments_cannot(
    client, auth, users, seeded
):
    page = get_page("site/privacy")
    assert page.owner_department == "기획예산과"
    auth.login(users.autonomy)
    assert client.get("/staff/pages/site/privacy/edit").status_code == 403
    auth.logout()
    auth.login(users.planning)
    form = client.get("/staff/pages/site/privacy/edit")
    assert form.status_code == 200
    saved = client.post(
        "/staff/pages/site/privacy/edit",
        data={
            "title": "개인정보처리방침",
            "body": "## 바뀐 방침\n\n새 시행일 2026년 1월 1일",
            "note": "개정",
        },
    )
    assert saved.status_code == 303 and saved.headers["Location"] == "/site/privacy"
    assert "새 시행일 2026년 1월 1일" in client.get("/site/privacy").get_data(as_text=True)


def test_robots_keeps_staff_and_account_pages_out_and_names_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.mimetype == "text/plain"
    lines = response.get_data(as_text=True).splitlines()
    assert lines[0] == "User-agent: *"
    for path in ("/staff", "/auth", "/cheong/date-apply/", "/policy/contest/mine"):
        assert f"Disallow: {path}" in lines
    assert "Disallow: /" not in lines  # the public pages stay open
    assert "Sitemap: http://127.0.0.1:5000/sitemap.xml" in lines


def test_the_sitemap_lists_every_public_page_with_its_last_change(client, users, seeded):
    world = plant_personal_data(users)
    response = client.get("/sitemap.xml")
    assert response.mimetype == "application/xml"
    root = ElementTree.fromstring(response.get_data())
    urls = {
        u.find(f"{SITEMAP_NS}loc").text.removeprefix("http://127.0.0.1:5000"): (
            u.find(f"{SITEMAP_NS}lastmod").text
            if u.find(f"{SITEMAP_NS}lastmod") is not None
            else None
        )
        for u in root.findall(f"{SITEMAP_NS}url")
    }
    expected = {
        "/",
        "/policy",
        "/policy/proposals",
        "/budget/projects",
        "/site/privacy",
        "/open-data",
        "/embed",
        "/autonomy/dongs/boramae",
        f"/policy/proposals/{world.answered.id}",
        f"/governance/proposals/{world.governance.id}",
        f"/budget/proposals/{world.budget.id}",
        f"/policy/asks/{world.agenda.id}",
        "/manifesto/pledges/6-1-1",
        "/budget/notices/1",
        "/autonomy/dongs/boramae/notices/2",
        "/budget/projects/1",
    }
    assert expected <= set(urls)
    assert urls[f"/policy/proposals/{world.answered.id}"] == "2026-03-10"
    assert urls["/site/privacy"] is not None
    for path in urls:
        assert not path.startswith(("/staff", "/auth", "/widgets")), path


def test_list_pages_announce_their_atom_feeds(client, seeded):
    def alternates(path: str) -> list[str]:
        html = client.get(path).get_data(as_text=True)
        head = html[: html.index("</head>")]
        return re.findall(
            r'<link rel="alternate" type="application/atom\+xml" [^>]*href="([^"]+)"', head
        )

    assert alternates("/policy/proposals") == [
        "/feeds/policy-proposals.atom",
        "/feeds/policy-answers.atom",
    ]
    assert alternates("/governance/proposals") == [
        "/feeds/governance-proposals.atom",
        "/feeds/governance-answers.atom",
    ]
    assert "/feeds/budget-proposals.atom" in alternates("/budget/proposals")
    assert alternates("/policy/asks") == ["/feeds/policy-asks.atom"]
    assert alternates("/budget/notices") == ["/feeds/notices-budget.atom"]
    assert alternates("/autonomy/dongs/boramae") == ["/feeds/notices-dong-boramae.atom"]
    assert alternates("/autonomy/dongs/boramae/notices") == ["/feeds/notices-dong-boramae.atom"]
    assert alternates("/manifesto/progress") == ["/feeds/manifesto-updates.atom"]
    assert alternates("/") == []


def test_every_feed_is_atom_that_parses_with_absolute_links(app, client, users):
    plant_personal_data(users)
    atom = "{http://www.w3.org/2005/Atom}"
    for slug, feed in app.extensions["gwanak"].feeds.items():
        response = client.get(f"/feeds/{slug}.atom")
        assert response.mimetype == "application/atom+xml"
        root = ElementTree.fromstring(response.get_data())
        assert root.find(f"{atom}title").text == feed.title
        assert root.find(f"{atom}updated") is not None
        for entry in root.findall(f"{atom}entry"):
            assert entry.find(f"{atom}link").get("href").startswith("http://127.0.0.1:5000/")
            assert entry.find(f"{atom}id").text.startswith("tag:127.0.0.1,2019:")
        etag = response.headers["ETag"]
        assert client.get(f"/feeds/{slug}.atom", headers={"If-None-Match": etag}).status_code == 304
    index = client.get("/feeds").get_data(as_text=True)
    assert index.count('.atom">') == len(app.extensions["gwanak"].feeds)
