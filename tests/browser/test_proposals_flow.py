"""제안하기 in a browser: with htmx, 공감 and comments update in place; without JS, forms redirect."""

from __future__ import annotations

import itertools

import pytest

from gwanak.core.extensions import db
from gwanak.participation import operations as ops
from gwanak.policy.board import POLICY_BOARD
from tests.conftest import TEST_PASSWORD, password_hash

pytestmark = pytest.mark.browser
_n = itertools.count(1)


def _resident(app, name: str):
    from gwanak.accounts.models import User

    with app.app_context():
        user = User(
            email=f"flow{next(_n)}@example.com",
            password_hash=password_hash(),
            name=name,
            role="resident",
            relation="거주",
            dong="boramae",
        )
        db.session.add(user)
        db.session.commit()
        return user.id, user.email


def _proposal(app, author_id: int) -> int:
    from gwanak.accounts.models import User

    with app.app_context():
        author = db.session.get(User, author_id)
        p = ops.create_proposal(
            POLICY_BOARD,
            author,
            title="버스 정류장에 의자를 놓아 주세요",
            body="어르신이 오래 서서 기다립니다.",
            category="교통",
        )
        return p.id


def _login(page, email: str) -> None:
    page.goto(page.base + "/auth/login")
    page.get_by_label("이메일").fill(email)
    page.get_by_label("비밀번호").fill(TEST_PASSWORD)
    page.get_by_role("button", name="로그인").click()


def test_gonggam_and_a_comment(page, live_app):
    author_id, _ = _resident(live_app, "박작성")
    _, email = _resident(live_app, "최공감")
    pid = _proposal(live_app, author_id)
    _login(page, email)
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


def test_writing_a_proposal_shows_the_error_by_the_field(page, live_app):
    _, email = _resident(live_app, "정제안")
    _login(page, email)
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
