"""제안하기 in a browser: with htmx, 공감 and comments update in place; without JS, forms redirect."""

from __future__ import annotations

import pytest

from tests.factories import TEST_PASSWORD, make_user, proposal

pytestmark = pytest.mark.browser


def _login(page, email: str) -> None:
    page.goto(page.base + "/auth/login")
    page.get_by_label("이메일").fill(email)
    page.get_by_label("비밀번호").fill(TEST_PASSWORD)
    page.get_by_role("button", name="로그인").click()


def test_gonggam_and_a_comment(page, live_db):
    author, reader = make_user(name="박작성"), make_user(name="최공감")
    pid = proposal(
        author, "버스 정류장에 의자를 놓아 주세요", body="어르신이 오래 서서 기다립니다.",
        category="교통", dong=None,
    ).id  # fmt: skip
    _login(page, reader.email)
    page.goto(f"{page.base}/policy/proposals/{pid}")
    if page.js_enabled:
        page.evaluate("window.__notReloaded = true")

    page.get_by_role("button", name="공감하기 0").click()
    page.get_by_role("button", name="공감함 1 · 취소").wait_for()

    page.get_by_label("댓글", exact=True).fill("정말 필요한 제안입니다.")
    page.get_by_role("button", name="댓글 등록").click()
    page.get_by_text("정말 필요한 제안입니다.").wait_for()
    assert page.get_by_text("최*감").first.is_visible()

    if page.js_enabled:
        assert page.evaluate("window.__notReloaded === true"), "htmx must update in place"
    else:
        assert page.url.endswith(f"/policy/proposals/{pid}#comment-1") or "#comment-" in page.url


def test_writing_a_proposal_shows_the_error_by_the_field(page, live_db):
    _login(page, make_user(name="정제안").email)
    page.goto(page.base + "/policy/proposals/new")
    page.get_by_label("제목").fill("   ")
    page.get_by_label("분야").select_option("환경")
    page.get_by_label("제안 내용").fill("내용")
    page.get_by_role("button", name="제안 등록").click()
    assert page.get_by_text("제목을(를) 입력하세요.").is_visible()
    page.get_by_label("제목").fill("하천 쓰레기 줍기 행사")
    page.get_by_role("button", name="제안 등록").click()
    assert page.get_by_role("heading", level=1).inner_text() == "하천 쓰레기 줍기 행사"
    assert page.get_by_text("공감 0/5 — 5명 더 공감하면 부서 검토").is_visible()
