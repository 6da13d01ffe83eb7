"""협치관악 and a 동 page in the browser: staff post a notice with a file, publish an
archive file (a lying .pdf is refused), a 동 주민센터 adds a committee member, and a
resident reads it all — with JavaScript on and off, 360 px wide."""

from __future__ import annotations

import pytest

from gwanak.accounts.models import Role
from gwanak.governance.pdf import tiny_pdf
from tests.factories import TEST_PASSWORD, make_user

pytestmark = pytest.mark.browser


def _login(page, email: str) -> None:
    page.goto(page.base + "/auth/login")
    page.get_by_label("이메일").fill(email)
    page.get_by_label("비밀번호").fill(TEST_PASSWORD)
    page.get_by_role("button", name="로그인").click()
    page.get_by_role("button", name="로그아웃").wait_for()


def _logout(page) -> None:
    page.get_by_role("button", name="로그아웃").click()


def test_staff_publish_notice_and_archive_file_and_a_resident_reads_them(page, live_db):
    mode = "js" if page.js_enabled else "nojs"
    _login(page, make_user(Role.STAFF, name="자치 직원", department="자치행정과").email)

    page.goto(page.base + "/governance/notices")
    page.get_by_role("link", name="공지 쓰기").click()
    page.get_by_label("제목").fill(f"협치회의 개최 안내 {mode}")
    page.get_by_label("본문 (마크다운)").fill("## 일시\n5월 3일 15시")
    page.get_by_label("목록 맨 위에 고정").check()
    page.get_by_label("첨부 파일").set_input_files(
        [{"name": "안내문.pdf", "mimeType": "application/pdf", "buffer": tiny_pdf("notice")}]
    )
    page.get_by_role("button", name="저장").click()
    assert page.get_by_text("공지를 올렸습니다.").is_visible()
    assert page.get_by_role("link", name="안내문.pdf").is_visible()

    page.goto(page.base + "/governance/archive/new")
    page.get_by_label("제목").fill(f"회의록 {mode}")
    page.get_by_label("분류").select_option("회의자료")
    page.get_by_label("파일").set_input_files(
        [
            {
                "name": "report.pdf",
                "mimeType": "application/pdf",
                "buffer": b"MZ\x90\x00" + b"\0" * 64,
            }
        ]
    )
    page.get_by_role("button", name="저장").click()
    assert page.get_by_text("허용되지 않는 파일입니다.", exact=False).is_visible()
    assert page.get_by_label("파일").get_attribute("aria-invalid") == "true"
    page.get_by_label("파일").set_input_files(
        [{"name": "회의록.pdf", "mimeType": "application/pdf", "buffer": tiny_pdf("minutes")}]
    )
    page.get_by_role("button", name="저장").click()
    assert page.get_by_text("자료를 올렸습니다.").is_visible()
    _logout(page)

    page.goto(page.base + "/governance/notices")
    page.get_by_role("link", name=f"협치회의 개최 안내 {mode}").click()
    assert page.get_by_role("heading", level=2, name="일시").is_visible()
    href = page.get_by_role("link", name="안내문.pdf").get_attribute("href")
    response = page.request.get(page.base + href)
    assert response.ok and response.body().startswith(b"%PDF-")
    assert response.headers["content-disposition"].startswith("attachment")
    page.goto(page.base + "/governance/archive")
    page.get_by_role("link", name=f"회의록 {mode}").click()
    assert page.get_by_role("link", name="회의록.pdf").is_visible()


def test_dong_staff_add_a_member_shown_on_their_dong_page(page, live_db):
    mode = "js" if page.js_enabled else "nojs"
    _login(page, make_user(Role.STAFF, name="보라매동 직원", office_dong="boramae").email)
    page.goto(page.base + "/autonomy/dongs/boramae")
    page.get_by_role("link", name="위원 관리").click()
    page.get_by_label("이름").fill(f"홍길동{mode}")
    page.get_by_label("직책").fill("회장")
    page.get_by_role("button", name="추가").click()
    assert page.get_by_text("위원을 추가했습니다.").is_visible()
    page.get_by_label("이름").fill("김영수")
    page.get_by_label("직책").fill("010-1234-5678")
    page.get_by_role("button", name="추가").click()
    assert page.get_by_text("연락처(전화번호, 이메일 등)는 적을 수 없습니다.").is_visible()
    page.goto(page.base + "/autonomy/dongs/boramae")
    assert page.get_by_role("cell", name=f"홍길동{mode}").is_visible()
    response = page.request.get(page.base + "/autonomy/dongs/sillim/members")
    assert response.status == 403
