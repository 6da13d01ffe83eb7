"""Staff edit pages in the browser: preview, save, revisions, restore, sanitizing."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from sqlalchemy import select

from gwanak.core.audit import AuditEntry
from gwanak.core.extensions import db
from gwanak.core.markup import ALLOWED_TAGS, render_markdown, render_user_text, sanitize_html
from gwanak.pages.models import Page
from gwanak.pages.operations import ensure_page, get_page

XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    '<img src="/uploads/a.png" onerror="alert(1)">',
    '<a href="javascript:alert(1)">클릭</a>',
    '<a href="JaVaScRiPt:alert(1)">클릭</a>',
    '<a href="&#106;avascript:alert(1)">클릭</a>',
    "[링크](javascript:alert(1))",
    '<svg onload="alert(1)"></svg>',
    '<iframe src="https://evil.example"></iframe>',
    '<body onload="alert(1)">',
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<p onclick="alert(1)">누르기</p>',
    "<scr<script>ipt>alert(1)</script>",
    '<object data="x.swf"></object>',
    '<form action="https://evil.example"><input name=a></form>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>",
    "<IMG SRC=`javascript:alert(1)`>",
    '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    '<img src="https://tracker.example/pixel.gif" alt="x">',
]


class _Inspector(HTMLParser):
    """Collects what a browser would treat as markup: tags and their attributes."""

    def __init__(self):
        super().__init__()
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in ALLOWED_TAGS:
            self.problems.append(f"tag {tag}")
        for name, value in attrs:
            value = (value or "").strip().lower()
            if name.startswith("on") or name in {"style", "srcdoc", "formaction"}:
                self.problems.append(f"attribute {name}")
            if name == "href" and not value.startswith(("http://", "https://", "mailto:", "tel:")):
                self.problems.append(f"href {value}")
            if name == "src" and not value.startswith("/uploads/"):
                self.problems.append(f"src {value}")


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_the_sanitizer_removes_every_payload(payload):
    for html in (sanitize_html(payload), render_markdown(payload)):
        inspector = _Inspector()
        inspector.feed(html)
        assert inspector.problems == [], (payload, html)
        assert "<script" not in html.lower()


def test_the_allow_list_keeps_what_staff_need():
    html = render_markdown(
        "## 소제목\n\n- 하나\n- 둘\n\n**굵게** *기울임* [링크](https://gwanak.go.kr)\n\n"
        f"| 가 | 나 |\n| --- | --- |\n| 1 | 2 |\n\n![사진]({PHOTO})"
    )
    for kept in ("<h2>", "<ul>", "<li>", "<strong>", "<em>", 'href="https://gwanak.go.kr"',
                 "<table>", "<td>", f'src="{PHOTO}"', 'alt="사진"'):  # fmt: skip
        assert kept in html, kept


PHOTO = "/uploads/" + "0f" * 16 + "/photo.png"


@pytest.mark.parametrize(
    "address",
    [
        "/uploads/%2e%2e/auth/account",
        "/uploads/%252e%252e/auth/account",
        "/uploads/./../auth/account",
        "/uploads/..%2fauth%2faccount",
        "/uploads/" + "0f" * 16 + "/..",
        "/uploads/photo.png",
        "/uploads\\..\\auth",
    ],
)
def test_images_and_file_links_must_really_be_stored_files_after_decoding(address):
    html = render_markdown(f"![x]({address}) [파일]({address}) ![ok]({PHOTO})")
    assert html.count("src=") == 1 and f'src="{PHOTO}"' in html
    assert "href" not in html


def test_residents_text_is_escaped_masked_and_linked():
    html = str(render_user_text("<b>안녕</b> 010-1234-5678 https://gwanak.go.kr\n둘째 줄"))
    assert "<b>" not in html and "&lt;b&gt;" in html
    assert "010-****-5678" in html
    assert 'href="https://gwanak.go.kr"' in html and "nofollow" in html
    assert "<br>" in html


def test_script_in_a_staff_page_never_reaches_the_rendered_html(client, auth, users):
    auth.login(users.autonomy)
    body = "소개\n\n<script>alert('x')</script>\n\n<img src=x onerror=alert(1)>\n\n[나쁜](javascript:alert(1))"
    response = client.post("/staff/pages/budget/about/edit", data={"title": "소개", "body": body})
    assert response.status_code == 303
    html = client.get("/budget/about").get_data(as_text=True).lower()
    assert "<script>alert" not in html
    assert "onerror" not in html and "javascript:" not in html


def test_preview_shows_sanitized_html_without_saving(client, auth, users):
    auth.login(users.autonomy)
    response = client.post(
        "/staff/pages/budget/about/edit",
        data={"title": "소개", "body": "## 미리 <script>x</script>", "action": "preview"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "미리보기" in html and "<h2>미리 x</h2>" in html
    page = get_page("budget/about")
    assert page.revisions.count() == 1 and "미리" not in page.body_md


def test_autonomy_staff_edit_budget_about_and_restore_an_older_revision(client, auth, users):
    ensure_page("budget/about", "소개", "첫 내용")
    db.session.commit()
    auth.login(users.autonomy)
    client.post("/staff/pages/budget/about/edit", data={"title": "소개", "body": "둘째 내용"})
    client.post(
        "/staff/pages/budget/about/edit",
        data={"title": "새 소개", "body": "셋째 내용", "note": "오타"},
    )
    assert "셋째 내용" in client.get("/budget/about").get_data(as_text=True)

    history = client.get("/staff/pages/budget/about/revisions").get_data(as_text=True)
    assert "1판" in history and "2판" in history and "3판" in history and "오타" in history
    assert "첫 내용" in client.get("/staff/pages/budget/about/revisions/1").get_data(as_text=True)

    response = client.post("/staff/pages/budget/about/revisions/1/restore")
    assert response.status_code == 303
    html = client.get("/budget/about").get_data(as_text=True)
    assert "첫 내용" in html and "셋째 내용" not in html
    page = db.session.scalar(select(Page).where(Page.key == "budget/about"))
    db.session.refresh(page)
    assert page.revisions.count() == 4  # restoring adds a revision; nothing is lost
    actions = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions == ["page.save", "page.save", "page.restore"]
    entry = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert entry.actor_id == users.autonomy.id
    assert entry.before["body_md"] == "셋째 내용" and entry.after["body_md"] == "첫 내용"


def test_planning_staff_get_403_on_budget_about(client, auth, users):
    ensure_page("budget/about", "소개", "첫 내용")
    db.session.commit()
    auth.login(users.planning)
    assert client.get("/staff/pages/budget/about/edit").status_code == 403
    assert client.get("/staff/pages/budget/about/revisions").status_code == 403
    assert client.post("/staff/pages/budget/about/revisions/1/restore").status_code == 403
    assert "이 페이지 편집" not in client.get("/budget/about").get_data(as_text=True)


def test_empty_or_overlong_titles_are_refused_and_nothing_is_saved(client, auth, users):
    ensure_page("budget/about", "소개", "첫 내용")
    db.session.commit()
    auth.login(users.autonomy)
    for title, message in [("   ", "제목을(를) 입력하세요"), ("가" * 121, "120자 이하")]:
        response = client.post("/staff/pages/budget/about/edit", data={"title": title, "body": "x"})
        assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert get_page("budget/about").revisions.count() == 1


def test_unknown_pages_and_revisions_are_404(client, auth, users):
    auth.login(users.admin)
    assert client.get("/staff/pages/nope/page/edit").status_code == 404
    assert client.get("/staff/pages/budget/about/revisions/99").status_code == 404
    assert client.get("/autonomy/dongs/gangnam").status_code == 404


def test_a_dong_office_edits_its_own_dong_page(client, auth, users):
    auth.login(users.boramae)
    response = client.post(
        "/staff/pages/autonomy/dongs/boramae/edit",
        data={"title": "보라매동 주민자치회", "body": "우리 동 소식"},
    )
    assert response.status_code == 303
    assert "우리 동 소식" in client.get("/autonomy/dongs/boramae").get_data(as_text=True)
    assert client.get("/staff/pages/autonomy/dongs/sillim/edit").status_code == 403
