"""관악구가 묻습니다! in a browser, with JavaScript on and off, 360 px wide:
staff post an agenda with a poll, a resident votes and gives an opinion, the period
ends, the department publishes the result."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from gwanak.accounts.models import Role
from gwanak.core import clock
from gwanak.core.extensions import db
from tests.factories import TEST_PASSWORD, make_contest, make_user

pytestmark = pytest.mark.browser
_numbers = itertools.count(1)


def _login(page, user):
    page.goto(page.base + "/auth/login")
    page.get_by_label("이메일").fill(user.email)
    page.get_by_label("비밀번호").fill(TEST_PASSWORD)
    page.get_by_role("button", name="로그인").click()


def _logout(page):
    page.get_by_role("button", name="로그아웃").click()


def test_an_agenda_from_posting_through_votes_and_opinions_to_its_result(page, live_db):
    from gwanak.policy.asks.models import Agenda

    staff = make_user(Role.STAFF, name="기획 직원", department="기획예산과")
    resident = make_user(name="김철우")
    title = f"주민 쉼터 이름 짓기 {next(_numbers)}"
    today = clock.today()

    _login(page, staff)
    page.goto(page.base + "/policy/asks/new")
    page.get_by_label("의제 종류").select_option("general")
    page.get_by_label("제목").fill(title)
    page.get_by_label("내용 (마크다운)").fill("이름 후보에 **투표**해 주세요.")
    page.get_by_label("의견 접수 시작일").fill(today.isoformat())
    page.get_by_label("의견 접수 마감일").fill(today.isoformat())
    page.get_by_label("투표 질문 (선택)").fill("어떤 이름이 좋을까요?")
    page.get_by_label("투표 선택지 (한 줄에 하나, 2~6개)").fill("관악쉼터\n봉천마루")
    page.get_by_role("button", name="등록").click()
    assert page.get_by_role("heading", level=1).inner_text() == title
    assert page.get_by_text("진행중").first.is_visible()
    _logout(page)

    _login(page, resident)
    page.goto(page.base + "/policy/asks")
    page.get_by_role("link", name=title).click()
    page.get_by_role("button", name="투표하기").click()  # nothing chosen
    expect(page.get_by_text("선택지를 고르세요.")).to_be_visible()
    page.get_by_label("봉천마루").check()
    page.get_by_role("button", name="투표하기").click()
    expect(page.get_by_text("내 선택")).to_be_visible()
    page.get_by_label("관악쉼터").check()
    page.get_by_role("button", name="투표 바꾸기").click()
    expect(page.get_by_role("button", name="투표 바꾸기")).to_be_visible()
    expect(page.locator("#poll tbody tr").first).to_contain_text("관악쉼터 내 선택")
    page.get_by_label("댓글", exact=True).fill("봉천마루도 좋아요")
    page.get_by_role("button", name="댓글 등록").click()
    expect(page.get_by_text("봉천마루도 좋아요")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360 if page.js_enabled else True
    _logout(page)

    agenda = db.session.query(Agenda).filter_by(title=title).one()
    agenda.opens_on = agenda.closes_on = today - timedelta(days=1)  # the period has ended
    db.session.commit()

    _login(page, staff)
    page.goto(page.base + f"/policy/asks/{agenda.id}")
    assert page.get_by_text("마감되었습니다").first.is_visible()
    page.get_by_role("link", name="결과 반영 공개").click()
    page.get_by_label("결과 반영 내용 (마크다운)").fill("쉼터 이름을 **관악쉼터**로 정했습니다.")
    page.get_by_role("button", name="결과 공개").click()
    assert page.get_by_role("heading", name="결과 반영").is_visible()
    assert page.locator("#result strong").inner_text() == "관악쉼터"
    assert page.get_by_text("결과 공개").first.is_visible()


def test_a_resident_enters_the_contest_with_a_file_and_sees_it_in_their_entries(
    page, live_db, tmp_path
):
    from gwanak.policy.contest.operations import contest_for_year

    today = clock.today()
    if contest_for_year(today.year) is None:
        make_contest(
            today.year, opens_on=today - timedelta(days=1), closes_on=today + timedelta(days=10)
        )
    resident = make_user(name="이영희")
    bad = tmp_path / "제안서.pdf"
    bad.write_bytes(b"MZ\x90\x00 not a pdf")
    good = tmp_path / "제안서2.pdf"
    good.write_bytes(b"%PDF-1.7\n%%EOF\n")
    title = f"버스정류장 온열의자 {next(_numbers)}"

    _login(page, resident)
    page.goto(page.base + "/policy/contest")
    page.get_by_role("link", name="응모하기").click()
    page.get_by_label("제안 제목").fill(title)
    page.get_by_label("현황 및 문제점").fill("겨울 정류장이 춥습니다.")
    page.get_by_label("개선 방안").fill("온열의자를 설치합니다.")
    page.get_by_label("기대 효과").fill("어르신 건강 보호")
    page.get_by_label("관악구와의 관계").select_option("resident")
    page.get_by_label("첨부파일 (선택)").set_input_files(str(bad))
    page.get_by_label("개인정보 수집·이용에 동의합니다 (필수)").check()
    page.get_by_role("button", name="응모하기").click()
    expect(page.get_by_text("허용되지 않는 파일입니다.")).to_be_visible()
    page.get_by_label("첨부파일 (선택)").set_input_files(str(good))
    page.get_by_label("개인정보 수집·이용에 동의합니다 (필수)").check()
    page.get_by_role("button", name="응모하기").click()
    expect(page.get_by_role("heading", name="내 응모작")).to_be_visible()
    row = page.get_by_role("row").filter(has_text=title)
    expect(row).to_contain_text("접수")
    expect(row.get_by_role("link", name="PDF")).to_be_visible()
