"""Pledges in a browser at 360 px, with JavaScript on and off: a resident reads the card's
figures and comments; an officer of the pledge's department records an actual."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from gwanak.accounts.models import Role
from gwanak.core.extensions import db
from tests.factories import TEST_PASSWORD, four_pledges, make_user

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def world(live_app, live_server):
    """Four pledges (the card among them) and two accounts in the live server's database."""
    from gwanak.manifesto.models import Pledge

    with live_app.app_context():
        if db.session.scalar(select(Pledge.id).limit(1)) is None:
            four_pledges()
        staff = make_user(Role.STAFF, name="기획 직원", department="기획예산과")
        resident = make_user(name="김철우")
        emails = {"staff": staff.email, "resident": resident.email}
        db.session.remove()
    return emails


def log_in(page, email: str) -> None:
    page.goto(page.base + "/auth/login")
    page.get_by_label("이메일").fill(email)
    page.get_by_label("비밀번호").fill(TEST_PASSWORD)
    page.get_by_role("button", name="로그인").click()


def fits_360(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 360


def test_a_resident_finds_the_card_by_status_reads_it_and_comments(page, world):
    page.goto(page.base + "/manifesto/pledges")
    page.get_by_label("추진상황").select_option("이행 후 지속추진")
    # Choosing is not applying (each arrow key on a select would be a request): 보기.
    page.get_by_role("button", name="보기").click()
    list_ = page.locator("#pledge-list")
    list_.get_by_text("공약 1건").wait_for()
    assert "5-1-2" not in list_.inner_text()
    list_.get_by_role("link", name="6-1-1 관악청 운영(온라인 관악청(聽) 활성화)").click()

    assert page.get_by_role("heading", level=1).inner_text().startswith("6-1-1")
    table = page.locator("table[aria-labelledby=ind-h]")
    for rate in ("37.5%", "40.0%", "42.9%", "20.0%"):
        assert rate in table.inner_text()
    assert page.locator("svg.bar").first.is_visible()
    assert "5.39" in page.locator("table[aria-labelledby=budget-h]").inner_text()
    if page.js_enabled:
        assert fits_360(page)

    log_in(page, world["resident"])
    page.goto(page.base + "/manifesto/pledges/6-1-1")
    page.get_by_role("link", name="주민참여마당에서 의견 보기·남기기").click()
    text = f"공모전 결과도 알려 주세요 ({'js' if page.js_enabled else 'no-js'})"
    page.get_by_label("댓글", exact=True).fill(text)
    page.get_by_role("button", name="댓글 등록").click()
    page.locator("#comments").get_by_text(text).wait_for()


@pytest.fixture
def contests_entered_by_hand(live_app, monkeypatch):
    """Years counted live cannot be typed over; take the contests figure away from the
    live server's registry for this test so the officer enters 2024–2025."""
    figures = live_app.extensions["gwanak"].live_figures
    monkeypatch.delitem(figures, "policy.contests_per_year", raising=False)


def test_an_officer_records_an_actual_and_sees_it_in_the_history(
    page, world, contests_entered_by_hand
):
    year = "2024" if page.js_enabled else "2025"
    log_in(page, world["staff"])
    page.goto(page.base + "/manifesto/pledges/6-1-1")
    page.get_by_role("link", name="실적·예산·추진상황 입력").click()
    form = page.locator("section[aria-labelledby=actual-h]")
    form.get_by_label("지표", exact=True).select_option("2")
    form.get_by_label("연도").fill(year)
    form.get_by_label("실적", exact=True).fill("1")
    page.get_by_role("button", name="실적 저장").click()
    history = page.locator("section[aria-labelledby=hist-h]")
    history.get_by_text(f"지표 2 창의제안 공모전 개최 {year}년 실적").wait_for()

    # A year outside the pledge's period: refused by the server, next to the field.
    form = page.locator("section[aria-labelledby=actual-h]")
    form.get_by_label("지표", exact=True).select_option("2")
    form.get_by_label("연도").fill("2030")
    form.get_by_label("실적", exact=True).fill("1")
    page.get_by_role("button", name="실적 저장").click()
    page.get_by_text("사업기간(2022~2026년) 안의 연도를 입력하세요.").wait_for()
    assert form.get_by_label("연도").get_attribute("aria-invalid") == "true"
    if page.js_enabled:
        assert fits_360(page)
