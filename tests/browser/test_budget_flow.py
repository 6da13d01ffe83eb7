"""주민참여예산 in a browser, with JavaScript on and off, 360 px wide.

A resident proposes a project; 자치행정과 staff move it to 주민 투표; residents vote;
after the close staff select it and it appears in 실행사업 현황 with its budget. Then a
resident registers for a 예산학교 class and cancels.
"""

from __future__ import annotations

import itertools
from datetime import date, datetime, timedelta

import pytest
from playwright.sync_api import expect

from gwanak.accounts.models import Role
from gwanak.core import clock
from tests.factories import TEST_PASSWORD, make_class, make_round, make_user

pytestmark = pytest.mark.browser
_runs = itertools.count()


def login(page, user):
    page.goto(page.base + "/auth/login")
    page.get_by_label("이메일").fill(user.email)
    page.get_by_label("비밀번호").fill(TEST_PASSWORD)
    page.get_by_role("button", name="로그인").click()
    expect(page.get_by_role("link", name=f"{user.name}님")).to_be_visible()


def logout(page):
    page.get_by_role("button", name="로그아웃").click()


def test_propose_move_vote_select_and_see_the_project(page, live_db):
    run = next(_runs)
    year = 2090 + run * 2  # each run its own round and dates
    first = date(year - 1, 3, 1)
    make_round(
        year, proposal_starts=first, proposal_ends=first + timedelta(days=30),
        review_ends=first + timedelta(days=60), deliberation_ends=first + timedelta(days=90),
        vote_starts=first + timedelta(days=91), vote_ends=first + timedelta(days=100),
    )  # fmt: skip
    resident = make_user(name="김제안")
    voter = make_user(name="이투표")
    staff = make_user(Role.STAFF, name="자치 직원", department="자치행정과")
    title = f"보라매공원 그늘막 {year}"

    def at(days: int) -> None:
        clock.set_frozen(
            datetime.combine(first + timedelta(days=days), datetime.min.time()) + timedelta(hours=3)
        )

    at(5)
    login(page, resident)
    page.goto(page.base + f"/budget/proposals?year={year}")
    page.get_by_role("link", name="사업 제안하기").click()
    page.get_by_label("사업명").fill(title)
    page.get_by_label("제안 내용 (필요성과 기대 효과)").fill("여름에 놀이터가 너무 뜨겁습니다.")
    page.get_by_label("분야").select_option("안전")
    page.get_by_label("동", exact=True).select_option("boramae")
    page.get_by_label("사업 장소").fill("보라매공원 동문 놀이터")
    page.get_by_label("예상 사업비(원)").fill("30000000")
    page.get_by_role("button", name="제안 등록").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.get_by_text("30,000,000원")).to_be_visible()
    detail_url = page.url
    logout(page)

    at(35)
    login(page, staff)
    for to, note in (("review", ""), ("deliberation", "설치 가능한 부지입니다."), ("voting", "")):
        page.goto(detail_url)
        page.get_by_label("다음 단계").select_option(to)
        if note:
            page.get_by_label("사유·검토 의견").fill(note)
        page.get_by_role("button", name="옮기기").click()
        expect(page.get_by_text("단계로 옮겼습니다.")).to_be_visible()
    logout(page)

    at(95)
    for person in (resident, voter):
        login(page, person)
        page.goto(detail_url)
        page.get_by_role("button", name="이 사업에 투표").click()
        expect(page.get_by_role("button", name="투표함 · 취소")).to_be_visible()
        logout(page)

    at(101)
    login(page, staff)
    page.goto(detail_url)
    expect(page.get_by_text("투표 결과 2표")).to_be_visible()
    page.get_by_label("다음 단계").select_option("selected")
    page.get_by_label("확정 예산(원, 선정 시)").fill("28000000")
    page.get_by_role("button", name="옮기기").click()
    expect(page.get_by_text("'선정' 단계로 옮겼습니다.")).to_be_visible()
    logout(page)

    page.goto(page.base + f"/budget/projects?year={year}")
    card = page.locator("li.card", has_text=title)
    expect(card).to_be_visible()
    expect(card.get_by_text("28,000,000원").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360 if page.js_enabled else True


def test_register_for_a_class_and_cancel(page, live_db):
    clock.set_frozen(None)
    course = f"예산학교 기초 {next(_runs)}"  # each run finds its own course on the page
    make_class(capacity=1, starts_in=timedelta(days=3), course_title=course)
    resident = make_user(name="박학생")
    login(page, resident)
    page.goto(page.base + "/budget/school")
    section = page.locator("section.course", has_text=course)
    section.get_by_role("button", name="신청").click()
    section = page.locator("section.course", has_text=course)
    expect(section.get_by_text("신청 완료")).to_be_visible()
    expect(section.get_by_text("1 / 1명")).to_be_visible()
    section.get_by_role("button", name="신청 취소").click()
    section = page.locator("section.course", has_text=course)
    expect(section.get_by_role("button", name="신청")).to_be_visible()
    expect(section.get_by_text("0 / 1명")).to_be_visible()
