"""A resident signs up and logs in, with JavaScript on and off, on a 360 px screen."""

from __future__ import annotations

import itertools
import re

import pytest
from sqlalchemy import select

from gwanak.core.extensions import db
from gwanak.core.mail import OutboxMail

pytestmark = pytest.mark.browser
_numbers = itertools.count(1)


def test_sign_up_confirm_the_email_log_in_and_out(page, live_db):
    email = f"browser{next(_numbers)}-{'js' if page.js_enabled else 'nojs'}@example.com"
    page.goto(page.base + "/")
    page.get_by_role("link", name="회원가입").click()
    page.get_by_label("이메일").fill(email)
    page.get_by_label("비밀번호", exact=True).fill("a-long-password")
    page.get_by_label("비밀번호 확인").fill("a-long-password")
    page.get_by_label("이름").fill("김철우")
    page.get_by_label("관악구와의 관계").select_option("거주")
    page.get_by_label("동", exact=True).select_option("boramae")
    page.get_by_label("개인정보 수집·이용에 동의합니다 (필수)").check()
    page.get_by_role("button", name="가입하기").click()
    # Sign-up ends at the log-in page; the account works once the mailed link is followed.
    assert page.get_by_text("가입 확인 메일을 보냈습니다", exact=False).is_visible()
    mail = db.session.scalars(
        select(OutboxMail).where(OutboxMail.to_address == email).order_by(OutboxMail.id.desc())
    ).first()
    link = re.search(r"/auth/confirm/[^\s]+", mail.body).group(0)
    page.goto(page.base + link)
    assert page.get_by_text("김철우님, 이메일 인증을 마쳤습니다.", exact=False).is_visible()

    page.get_by_label("이메일").fill(email)
    page.get_by_label("비밀번호").fill("a-long-password")
    page.get_by_role("button", name="로그인").click()
    assert page.get_by_role("link", name="김철우님").is_visible()

    page.get_by_role("button", name="로그아웃").click()
    assert page.get_by_text("로그아웃했습니다.").is_visible()


def test_a_bad_sign_up_shows_the_error_by_the_field(page):
    page.goto(page.base + "/auth/signup")
    page.get_by_label("이메일").fill("not-an-email")
    page.get_by_role("button", name="가입하기").click()
    assert page.get_by_text("올바른 이메일 주소를 입력하세요.").is_visible()
    assert page.get_by_label("이메일").get_attribute("aria-invalid") == "true"


def test_the_menu_opens_at_360_px_and_leads_to_a_dong_page(page):
    page.goto(page.base + "/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360 if page.js_enabled else True
    menu = page.locator("details.site-menu")
    page.get_by_text("전체 메뉴").click()
    assert menu.get_attribute("open") is not None
    menu.get_by_role("link", name="21개동 주민자치회").click()
    page.get_by_role("link", name="보라매동").click()
    assert page.get_by_role("heading", level=1).inner_text() == "보라매동 주민자치회"


def test_keyboard_focus_is_visible(page):
    page.goto(page.base + "/")
    page.keyboard.press("Tab")
    focused = page.locator(":focus")
    assert focused.inner_text() == "본문 바로가기"
    if page.js_enabled:
        outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
        assert outline == "solid"
